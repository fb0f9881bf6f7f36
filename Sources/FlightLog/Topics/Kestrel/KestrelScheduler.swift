/// `kestrel_scheduler`: timing of one task of the real-time task table; one sample per task per report period,
/// told apart by `task_index` (and the zero-padded `task_name`).
public struct KestrelScheduler: ULogTopic, Hashable {
    public static let topicName = "kestrel_scheduler"
    public static let nameBytes = 16

    public var timestampUs: UInt64 = 0
    public var taskIndex: UInt8 = 0
    /// ASCII, zero padded.
    public var taskName = SIMD16<UInt8>()
    public var rateHz: Float = 0
    public var budgetUs: UInt32 = 0
    public var lastDurationUs: UInt32 = 0
    public var maxDurationUs: UInt32 = 0
    /// Mean over the report period.
    public var meanDurationUs: Float = 0
    /// Start of the run minus its scheduled time, worst over the period.
    public var maxStartLatenessUs: UInt32 = 0
    public var runs: UInt32 = 0
    public var overruns: UInt32 = 0

    public init() {}

    /// Sets `taskName` from ASCII text, truncating to 16 bytes.
    public mutating func setTaskName(_ name: StaticString) {
        var packed = SIMD16<UInt8>()
        name.withUTF8Buffer { bytes in
            for i in 0..<min(bytes.count, Self.nameBytes) { packed[i] = bytes[i] }
        }
        taskName = packed
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("task_index", taskIndex)
        v.array("task_name", count: Self.nameBytes) { ULogChar(taskName[$0]) }
        v.scalar("rate_hz", rateHz)
        v.scalar("budget_us", budgetUs)
        v.scalar("last_duration_us", lastDurationUs)
        v.scalar("max_duration_us", maxDurationUs)
        v.scalar("mean_duration_us", meanDurationUs)
        v.scalar("max_start_lateness_us", maxStartLatenessUs)
        v.scalar("runs", runs)
        v.scalar("overruns", overruns)
    }
}
