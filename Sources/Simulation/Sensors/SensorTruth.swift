import FlightMath

/// What the sensor models measure: the plant's true state at the end of a step, in the quantities sensors see.
public struct SensorTruth: Sendable {
    public var timeUs: UInt64
    public var positionNEDM: Vector3
    public var velocityNEDMps: Vector3
    public var attitude: Quaternion
    public var bodyRateFRDRadps: Vector3
    /// Specific force (acceleration minus gravity), body FRD, averaged over the last step as an accelerometer's
    /// integrating front end would see it.
    public var specificForceFRDMps2: Vector3
    /// Air-relative velocity in body axes.
    public var airVelocityFRDMps: Vector3
    public var air: AirState
    /// Rotor speed as a fraction of its speed at full throttle and full battery (what drives the vibration).
    public var rotorSpeedFraction: Double = 0
}

/// A sample clock at a fixed rate on the simulation's microsecond time base.
public struct SampleClock: Hashable, Sendable {
    public let periodUs: UInt64
    public private(set) var nextUs: UInt64

    public init(rateHz: Double, firstUs: UInt64 = 0) {
        periodUs = UInt64(max(1, (1_000_000 / max(rateHz, 1e-3)).rounded()))
        nextUs = firstUs
    }

    /// True once per period; call every step with the current time.
    public mutating func isDue(atUs t: UInt64) -> Bool {
        guard t >= nextUs else { return false }
        nextUs = nextUs &+ periodUs
        // After a long pause, restart from now rather than firing for every missed period.
        if nextUs <= t { nextUs = t &+ periodUs }
        return true
    }
}
