import FlightMath

/// What one accepted HIL_SENSOR carries, in the units the emulated chips are fed in (SI, body FRD). Trivially
/// copyable, so it crosses the link thread → real-time thread ring without retain/release.
public struct HILSensorFrame: Sendable, Equatable {
    /// The simulator's time of the sample (HIL_SENSOR.time_usec), µs.
    public var simTimeUs: UInt64
    public var accelFRDMps2: Vector3
    public var gyroFRDRadps: Vector3
    public var temperatureC: Double
    /// Static pressure, when this frame updated it (fields_updated bit 9).
    public var staticPressurePa: Double?
    /// Pitot differential pressure, when this frame updated it (bit 10).
    public var differentialPressurePa: Double?

    public init(simTimeUs: UInt64, accelFRDMps2: Vector3, gyroFRDRadps: Vector3, temperatureC: Double,
                staticPressurePa: Double? = nil, differentialPressurePa: Double? = nil) {
        self.simTimeUs = simTimeUs; self.accelFRDMps2 = accelFRDMps2; self.gyroFRDRadps = gyroFRDRadps
        self.temperatureC = temperatureC; self.staticPressurePa = staticPressurePa
        self.differentialPressurePa = differentialPressurePa
    }
}

/// What one accepted HIL_GPS carries, as the emulated receiver is fed it.
public struct HILGPSFrame: Sendable, Equatable {
    public var simTimeUs: UInt64
    public var fixType: GPSFixType
    public var position: Geodetic
    public var velocityNEDMps: Vector3
    public var horizontalAccuracyM: Double
    public var verticalAccuracyM: Double
    public var satellitesUsed: Int

    public init(simTimeUs: UInt64, fixType: GPSFixType, position: Geodetic, velocityNEDMps: Vector3,
                horizontalAccuracyM: Double, verticalAccuracyM: Double, satellitesUsed: Int) {
        self.simTimeUs = simTimeUs; self.fixType = fixType; self.position = position
        self.velocityNEDMps = velocityNEDMps; self.horizontalAccuracyM = horizontalAccuracyM
        self.verticalAccuracyM = verticalAccuracyM; self.satellitesUsed = satellitesUsed
    }
}

/// The board's outputs as the real-time thread saw them at one sensor read: the pulse on each of the board's PWM
/// channels (board-file order, 0 = no pulse) and whether the output gate is armed. The link thread turns the newest
/// into HIL_ACTUATOR_CONTROLS.
public struct HILOutputFrame: Sendable, Equatable {
    public var boardTimeUs: UInt64
    public var armed: Bool
    public var pulseUs: InlineArray<16, Double>
    /// How many of `pulseUs` are the board's channels.
    public var channelCount: Int

    public init(boardTimeUs: UInt64 = 0, armed: Bool = false) {
        self.boardTimeUs = boardTimeUs; self.armed = armed
        pulseUs = InlineArray(repeating: 0)
        channelCount = 0
    }

    public static func == (a: Self, b: Self) -> Bool {
        guard a.boardTimeUs == b.boardTimeUs, a.armed == b.armed, a.channelCount == b.channelCount else { return false }
        for i in 0..<16 where a.pulseUs[i] != b.pulseUs[i] { return false }
        return true
    }
}
