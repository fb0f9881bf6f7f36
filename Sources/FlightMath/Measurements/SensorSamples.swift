/// Sensor samples as the drivers deliver them and the estimator consumes them, and as the SITL sensor models
/// produce them. SI units, body frame FRD; timestamps are microseconds on the vehicle's monotonic clock.

/// Inertial sample: specific force (what an accelerometer measures, +Z down, about -9.81 m/s² on z at rest)
/// and angular rate, both in the body frame.
public struct IMUSample: Hashable, Sendable {
    public var timestampUs: UInt64
    public var accelFRDMps2: Vector3
    public var gyroFRDRadps: Vector3
    public var temperatureC: Double

    public init(timestampUs: UInt64, accelFRDMps2: Vector3, gyroFRDRadps: Vector3, temperatureC: Double) {
        self.timestampUs = timestampUs; self.accelFRDMps2 = accelFRDMps2
        self.gyroFRDRadps = gyroFRDRadps; self.temperatureC = temperatureC
    }
}

public struct BaroSample: Hashable, Sendable {
    public var timestampUs: UInt64
    public var pressurePa: Double
    public var temperatureC: Double

    public init(timestampUs: UInt64, pressurePa: Double, temperatureC: Double) {
        self.timestampUs = timestampUs; self.pressurePa = pressurePa; self.temperatureC = temperatureC
    }
}

public struct MagSample: Hashable, Sendable {
    public var timestampUs: UInt64
    public var fieldFRDGauss: Vector3

    public init(timestampUs: UInt64, fieldFRDGauss: Vector3) {
        self.timestampUs = timestampUs; self.fieldFRDGauss = fieldFRDGauss
    }
}

/// Pitot-static differential pressure (dynamic pressure for a perfect probe).
public struct AirspeedSample: Hashable, Sendable {
    public var timestampUs: UInt64
    public var differentialPressurePa: Double
    public var temperatureC: Double

    public init(timestampUs: UInt64, differentialPressurePa: Double, temperatureC: Double) {
        self.timestampUs = timestampUs; self.differentialPressurePa = differentialPressurePa
        self.temperatureC = temperatureC
    }
}

/// The flight battery at its monitor: pack voltage and the current out of it (positive discharging).
public struct BatterySample: Hashable, Sendable {
    public var timestampUs: UInt64
    public var voltageV: Double
    public var currentA: Double

    public init(timestampUs: UInt64, voltageV: Double, currentA: Double) {
        self.timestampUs = timestampUs; self.voltageV = voltageV; self.currentA = currentA
    }
}

public enum GPSFixType: UInt8, Sendable, Hashable {
    case none = 0, fix2D = 2, fix3D = 3
}

/// A GPS navigation solution. `timestampUs` is when the solution is valid (the receiver's measurement time mapped
/// to the vehicle clock), not when it arrived; the estimator needs that to handle the receiver latency.
public struct GPSFix: Hashable, Sendable {
    public var timestampUs: UInt64
    public var fixType: GPSFixType
    public var position: Geodetic
    public var velocityNEDMps: Vector3
    public var horizontalAccuracyM: Double
    public var verticalAccuracyM: Double
    public var speedAccuracyMps: Double
    public var satellitesUsed: Int
    /// UTC of the measurement epoch (µs since 1970), when the receiver has resolved date and time; nil otherwise.
    /// The vehicle's only trustworthy wall clock: the approval gate's expiry times are in it.
    public var utcUnixUs: UInt64?

    public init(timestampUs: UInt64, fixType: GPSFixType, position: Geodetic, velocityNEDMps: Vector3,
                horizontalAccuracyM: Double, verticalAccuracyM: Double, speedAccuracyMps: Double, satellitesUsed: Int,
                utcUnixUs: UInt64? = nil) {
        self.timestampUs = timestampUs; self.fixType = fixType; self.position = position
        self.velocityNEDMps = velocityNEDMps; self.horizontalAccuracyM = horizontalAccuracyM
        self.verticalAccuracyM = verticalAccuracyM; self.speedAccuracyMps = speedAccuracyMps
        self.satellitesUsed = satellitesUsed; self.utcUnixUs = utcUnixUs
    }
}
