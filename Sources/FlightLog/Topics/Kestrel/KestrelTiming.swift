/// `kestrel_timing`: the real-time loop's timing over one report window (1 s): wake-up jitter and tick execution
/// percentiles, the run's overrun counters and the inter-thread ring overflows, so a log shows when the flight
/// loop ran late and whether telemetry or logging lost data.
public struct KestrelTiming: ULogTopic, Hashable {
    public static let topicName = "kestrel_timing"

    public var timestampUs: UInt64 = 0
    public var windowTicks: UInt32 = 0
    public var ticks: UInt64 = 0
    public var tickOverruns: UInt64 = 0
    public var skippedTicks: UInt64 = 0
    public var jitterP50Us: UInt32 = 0
    public var jitterP99Us: UInt32 = 0
    public var jitterMaxUs: UInt32 = 0
    public var executionP50Us: UInt32 = 0
    public var executionP99Us: UInt32 = 0
    public var executionMaxUs: UInt32 = 0
    public var ringOverflows: UInt64 = 0
    public var logRecordsDropped: UInt64 = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("window_ticks", windowTicks)
        v.scalar("ticks", ticks)
        v.scalar("tick_overruns", tickOverruns)
        v.scalar("skipped_ticks", skippedTicks)
        v.scalar("jitter_p50_us", jitterP50Us)
        v.scalar("jitter_p99_us", jitterP99Us)
        v.scalar("jitter_max_us", jitterMaxUs)
        v.scalar("execution_p50_us", executionP50Us)
        v.scalar("execution_p99_us", executionP99Us)
        v.scalar("execution_max_us", executionMaxUs)
        v.scalar("ring_overflows", ringOverflows)
        v.scalar("log_records_dropped", logRecordsDropped)
    }
}
