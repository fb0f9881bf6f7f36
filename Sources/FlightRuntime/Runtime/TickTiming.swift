import Histogram

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

/// Jitter and execution histograms over a report window, preallocated and reset in place: percentiles for the
/// telemetry and the log without allocating on the real-time thread.
public struct TickTimingWindow {
    private var jitterUs = Histogram<UInt64>(highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: .two)
    private var executionUs = Histogram<UInt64>(highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: .two)
    public private(set) var ticks: UInt32 = 0

    public init() {}

    public mutating func record(_ t: TickTiming) {
        _ = jitterUs.record(min(t.jitterUs, jitterUs.highestTrackableValue))
        _ = executionUs.record(min(t.executionNs / 1000, executionUs.highestTrackableValue))
        ticks &+= 1
    }

    /// Fills the window's figures into `sample` and starts a new window.
    public mutating func close(into sample: inout RuntimeTimingSample) {
        sample.windowTicks = ticks
        if ticks > 0 {
            sample.jitterP50Us = UInt32(clamping: jitterUs.valueAtPercentile(50))
            sample.jitterP99Us = UInt32(clamping: jitterUs.valueAtPercentile(99))
            sample.jitterMaxUs = UInt32(clamping: jitterUs.max)
            sample.executionP50Us = UInt32(clamping: executionUs.valueAtPercentile(50))
            sample.executionP99Us = UInt32(clamping: executionUs.valueAtPercentile(99))
            sample.executionMaxUs = UInt32(clamping: executionUs.max)
        }
        jitterUs.reset()
        executionUs.reset()
        ticks = 0
    }
}
