/// `battery_status`: pack voltage, current and state of charge.
public struct BatteryStatus: ULogTopic, Hashable {
    public static let topicName = "battery_status"

    /// PX4 `WARNING_*`.
    public enum Warning: UInt8, Sendable { case none = 0, low = 1, critical = 2, emergency = 3, failed = 4 }

    public var timestampUs: UInt64 = 0
    public var connected = false
    public var voltageV: Float = 0
    public var currentA: Float = 0
    public var currentAverageA: Float = 0
    public var dischargedMAh: Float = 0
    /// State of charge 0…1.
    public var remaining: Float = 0
    public var timeRemainingS: Float = 0
    public var temperatureC: Float = 0
    public var cellCount: UInt8 = 0
    public var warning: UInt8 = Warning.none.rawValue

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("connected", connected)
        v.scalar("voltage_v", voltageV)
        v.scalar("current_a", currentA)
        v.scalar("current_average_a", currentAverageA)
        v.scalar("discharged_mah", dischargedMAh)
        v.scalar("remaining", remaining)
        v.scalar("time_remaining_s", timeRemainingS)
        v.scalar("temperature", temperatureC)
        v.scalar("cell_count", cellCount)
        v.scalar("warning", warning)
    }
}
