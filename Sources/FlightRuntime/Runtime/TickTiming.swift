/// One tick as the real-time loop saw it on its clock.
public struct TickTiming: Sendable, Equatable {
    /// When the tick was due and when the loop woke for it.
    public var deadlineUs: UInt64
    public var wakeUs: UInt64
    /// How long the scheduler's tick (all due tasks) took.
    public var executionNs: UInt64

    public init(deadlineUs: UInt64, wakeUs: UInt64, executionNs: UInt64) {
        self.deadlineUs = deadlineUs; self.wakeUs = wakeUs; self.executionNs = executionNs
    }

    public var jitterUs: UInt64 { wakeUs >= deadlineUs ? wakeUs - deadlineUs : 0 }
}

/// Jitter and execution histograms over a report window, fixed size and reset in place: percentiles for the
/// telemetry and the log without allocating on the real-time thread, and without a burst of work at each window's
/// end (`MicrosecondHistogram`).
public struct TickTimingWindow {
    /// Values beyond this are counted as this (a tick 10 s late or long is already a failure).
    static let clampUs: UInt64 = 10_000_000
    private var jitterUs = MicrosecondHistogram()
    private var executionUs = MicrosecondHistogram()
    public private(set) var ticks: UInt32 = 0

    public init() {}

    public mutating func record(_ t: TickTiming) {
        jitterUs.record(min(t.jitterUs, Self.clampUs))
        executionUs.record(min(t.executionNs / 1000, Self.clampUs))
        ticks &+= 1
    }

    /// Fills the window's figures into `sample` and starts a new window.
    public mutating func close(into sample: inout RuntimeTimingSample) {
        sample.windowTicks = ticks
        if ticks > 0 {
            sample.jitterP50Us = UInt32(clamping: jitterUs.valueAtPercentile(50))
            sample.jitterP99Us = UInt32(clamping: jitterUs.valueAtPercentile(99))
            sample.jitterMaxUs = UInt32(clamping: jitterUs.maxUs)
            sample.executionP50Us = UInt32(clamping: executionUs.valueAtPercentile(50))
            sample.executionP99Us = UInt32(clamping: executionUs.valueAtPercentile(99))
            sample.executionMaxUs = UInt32(clamping: executionUs.maxUs)
        }
        jitterUs.reset()
        executionUs.reset()
        ticks = 0
    }
}
