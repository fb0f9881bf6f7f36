import FlightMath

/// Where the filter is in its life.
public enum NavigationPhase: Sendable, Hashable {
    /// On the ground, averaging the accelerometer (level) and magnetometer (heading); the vehicle must be at rest.
    case aligning
    /// Attitude known, waiting for the first good GPS fix to set the local origin; position held at zero.
    case awaitingPosition
    /// Full navigation in the local NED frame whose origin is the first good GPS fix.
    case navigating
}

/// Diagonal of the error-state covariance, by block.
public struct NavigationVariances: Sendable, Hashable {
    /// NED-frame attitude error (rad²); `z` is the heading variance.
    public var attitudeRad2 = Vector3.zero
    public var velocityNEDMps2 = Vector3.zero
    public var positionNEDM2 = Vector3.zero
    public var gyroBiasRadps2 = Vector3.zero
    public var accelBiasMps2Squared = Vector3.zero
    /// North and east in `x`, `y`; `z` is zero.
    public var windNEMps2 = Vector3.zero

    public init() {}
}

/// The navigation solution at the newest IMU time.
public struct NavigationState: Sendable, Hashable {
    public var timestampUs: UInt64 = 0
    public var phase = NavigationPhase.aligning
    /// Body (FRD) → NED.
    public var attitude = Quaternion.identity
    public var euler = EulerAngles(rollRad: 0, pitchRad: 0, yawRad: 0)
    public var velocityNEDMps = Vector3.zero
    /// Relative to `origin`.
    public var positionNEDM = Vector3.zero
    /// −down: height above the origin (the first good GPS fix).
    public var heightAboveOriginM = 0.0
    /// The local NED frame, nil until the first good GPS fix (its origin).
    public internal(set) var frame: LocalFrame?
    /// The local frame's origin, nil until the first good GPS fix.
    public var origin: Geodetic? { frame?.origin }
    /// The position on the WGS-84 ellipsoid, nil until the origin is set. Converted when read (ECEF → geodetic,
    /// about 4 k instructions, 8 % of a flight tick when it was stored every tick): the flight tick works in NED;
    /// the link and the log that read this run at 50 Hz or less.
    public var geodetic: Geodetic? { frame?.geodetic(ofNED: positionNEDM) }
    /// Estimated sensor biases (subtract from the raw samples to correct them).
    public var gyroBiasFRDRadps = Vector3.zero
    public var accelBiasFRDMps2 = Vector3.zero
    /// Wind the air mass moves with, NED (down is not estimated and is zero).
    public var windNEDMps = Vector3.zero
    /// Body angular rate with the gyro bias removed.
    public var angularRateFRDRadps = Vector3.zero
    public var variances = NavigationVariances()

    public init() {}
}
