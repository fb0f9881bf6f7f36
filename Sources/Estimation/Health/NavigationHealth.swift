/// The filter's verdict on itself and on each aiding sensor, for the mission layer (failsafes, arming checks) and
/// for the log.
public struct NavigationHealth: Sendable, Hashable {
    public var gps = SensorStatus()
    public var baro = SensorStatus()
    public var mag = SensorStatus()
    public var airspeed = SensorStatus()
    /// IMU samples refused (non-finite, implausible, time going backwards).
    public var imuRejectedCount = 0
    /// IMU intervals longer than `imu_max_gap_s` (integrated over the maximum gap only).
    public var imuGapCount = 0
    /// Measurements dropped because a queue was full or they arrived later than the fusion horizon allows.
    public var droppedMeasurementCount = 0
    /// Times the filter reset position and velocity onto the GPS (regained after loss, or persistent rejection).
    public var gpsResetCount = 0
    /// Times the filter reset the wind from the airspeed and the heading (airspeed refused for too long).
    public var windResetCount = 0

    /// Roll, pitch and heading are known well enough to fly on.
    public var attitudeValid = false
    public var velocityValid = false
    /// Horizontal position (and geodetic output) are known well enough to navigate on.
    public var positionValid = false
    /// Attitude, velocity and position valid and the covariance numerically sound.
    public var isHealthy = false

    public init() {}
}
