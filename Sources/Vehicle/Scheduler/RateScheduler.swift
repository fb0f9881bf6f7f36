import Histogram

/// The work the scheduler runs: one call per due task, in table order. Implemented by the vehicle.
public protocol ScheduledTasks {
    mutating func run(taskIndex: Int, nowUs: UInt64)
}

/// Fixed-rate scheduler on an absolute timeline. Time is injected: the same code runs on the wall clock
/// (`kestrel fly`, `kestrel sim --realtime`) and on simulated time in lockstep (fast-time `kestrel sim`).
///
/// Tick k is due at `startUs + k·period`. A tick that ends after the next deadline is a tick overrun; the
/// deadlines it missed are skipped (counted, not run), so the loop never drifts and never bursts to catch up.
/// Nothing here allocates after `init`: statistics live in arrays sized once and histograms preallocated.
public struct RateScheduler {
    public let table: TaskTable
    public private(set) var startUs: UInt64
    public private(set) var tickIndex: UInt64 = 0
    public private(set) var stats: SchedulerStatistics

    public init(table: TaskTable, startUs: UInt64) {
        self.table = table
        self.startUs = startUs
        self.stats = SchedulerStatistics(taskCount: table.tasks.count)
    }

    /// When the next tick is due.
    public var nextDeadlineUs: UInt64 { startUs &+ tickIndex &* table.periodUs }

    /// Runs the due tasks of the current tick. `wakeUs` is when the caller actually woke for it (the difference to
    /// the deadline is the wake-up jitter); `stopwatchNs` reads a monotonic clock to time the task bodies (in fast
    /// time that is still the host's CPU time, which is what the budgets are about).
    public mutating func runTick<Tasks: ScheduledTasks>(
        wakeUs: UInt64, tasks: inout Tasks, stopwatchNs: () -> UInt64
    ) {
        let deadline = nextDeadlineUs
        stats.recordWake(jitterUs: wakeUs >= deadline ? wakeUs - deadline : 0)
        let tickStartNs = stopwatchNs()
        for i in 0..<table.tasks.count where tickIndex % table.dividers[i] == 0 {
            let t0 = stopwatchNs()
            tasks.run(taskIndex: i, nowUs: wakeUs)
            let t1 = stopwatchNs()
            stats.recordTask(i, executionNs: t1 &- t0, budgetUs: table.tasks[i].budgetUs)
        }
        let tickNs = stopwatchNs() &- tickStartNs
        stats.recordTick(executionNs: tickNs)

        // Where on the timeline the tick ended decides which deadline comes next.
        let endUs = wakeUs &+ tickNs / 1000
        let nextDeadline = deadline &+ table.periodUs
        if endUs < nextDeadline {
            tickIndex &+= 1
        } else {
            let elapsedTicks = (endUs &- startUs) / table.periodUs
            let next = elapsedTicks &+ 1
            stats.recordOverrun(skippedTicks: next &- tickIndex &- 1)
            tickIndex = next
        }
    }
}

/// Per-task and per-tick timing, preallocated.
public struct SchedulerStatistics {
    public struct TaskStats: Sendable, Equatable {
        public var runs: UInt64 = 0
        public var overruns: UInt64 = 0
        public var maxExecutionNs: UInt64 = 0
        public var totalExecutionNs: UInt64 = 0
        public var meanExecutionNs: UInt64 { runs == 0 ? 0 : totalExecutionNs / runs }
    }

    public private(set) var tasks: [TaskStats]
    public private(set) var ticks: UInt64 = 0
    public private(set) var tickOverruns: UInt64 = 0
    public private(set) var skippedTicks: UInt64 = 0
    /// Wake-up lateness against the deadline, µs.
    public private(set) var wakeJitterUs: Histogram<UInt64>
    /// Execution time of whole ticks, µs.
    public private(set) var tickExecutionUs: Histogram<UInt64>

    init(taskCount: Int) {
        tasks = Array(repeating: TaskStats(), count: taskCount)
        wakeJitterUs = Histogram(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        tickExecutionUs = Histogram(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    mutating func recordWake(jitterUs: UInt64) {
        _ = wakeJitterUs.record(min(jitterUs, wakeJitterUs.highestTrackableValue))
    }

    mutating func recordTask(_ i: Int, executionNs: UInt64, budgetUs: UInt64) {
        tasks[i].runs &+= 1
        tasks[i].totalExecutionNs &+= executionNs
        if executionNs > tasks[i].maxExecutionNs { tasks[i].maxExecutionNs = executionNs }
        if executionNs > budgetUs &* 1000 { tasks[i].overruns &+= 1 }
    }

    mutating func recordTick(executionNs: UInt64) {
        ticks &+= 1
        _ = tickExecutionUs.record(min(executionNs / 1000, tickExecutionUs.highestTrackableValue))
    }

    mutating func recordOverrun(skippedTicks n: UInt64) {
        tickOverruns &+= 1
        skippedTicks &+= n
    }
}
