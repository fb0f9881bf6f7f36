/// Sensors of an emulated board whose measurement can be frozen: a stuck ADC, a blocked static port or pitot. The
/// chip still answers and converts, so no bus error and no missing sample gives it away; only the value stops.
public struct StuckSensors: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let imu = StuckSensors(rawValue: 1 << 0)
    public static let barometer = StuckSensors(rawValue: 1 << 1)
    public static let airspeed = StuckSensors(rawValue: 1 << 2)
}
