import Estimation

/// A set of the vehicle's sensors: which ones the board has, and which of them are working. The ground link
/// reports both (SYS_STATUS present and health bits), so a ground station shows a dead barometer as such.
public struct SensorSuite: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let imu = SensorSuite(rawValue: 1 << 0)
    public static let barometer = SensorSuite(rawValue: 1 << 1)
    public static let airspeed = SensorSuite(rawValue: 1 << 2)
    public static let gps = SensorSuite(rawValue: 1 << 3)
    public static let magnetometer = SensorSuite(rawValue: 1 << 4)

    /// An IMU whose last sample is older than this is not working: 20 base ticks, long past the FIFO's jitter and
    /// well inside the filter's own gap limit.
    public static let imuTimeoutUs: UInt64 = 50_000

    /// Of the `fitted` sensors, those working at `nowUs`: the IMU by the age of its last sample, the aiding sensors
    /// by the navigation filter's verdict (degraded still works; failed, or no verdict yet, does not).
    public static func working(fitted: SensorSuite, lastIMUSampleUs: UInt64?, health: NavigationHealth?,
                               nowUs: UInt64) -> SensorSuite {
        var working: SensorSuite = []
        if fitted.contains(.imu), let t = lastIMUSampleUs, nowUs <= t &+ imuTimeoutUs { working.insert(.imu) }
        guard let health else { return working }
        if fitted.contains(.barometer), health.baro.condition != .failed { working.insert(.barometer) }
        if fitted.contains(.airspeed), health.airspeed.condition != .failed { working.insert(.airspeed) }
        if fitted.contains(.gps), health.gps.condition != .failed { working.insert(.gps) }
        if fitted.contains(.magnetometer), health.mag.condition != .failed { working.insert(.magnetometer) }
        return working
    }
}
