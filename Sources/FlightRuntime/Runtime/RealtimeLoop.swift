import Atomics
import DeviceIO
import Vehicle

/// Work the real-time loop runs, plus a hook after each tick (on the real-time thread, after the scheduler's due
/// tasks): where the daemon exchanges data with the telemetry and log threads, and where a SITL run paced to the
/// wall clock steps its plant.
public protocol RealtimeTasks: ScheduledTasks {
    mutating func afterTick(_ timing: TickTiming, scheduler: borrowing RateScheduler)
}

/// Runs a task table on the wall clock: sleep to the absolute deadline on CLOCK_MONOTONIC, run the due tasks,
/// repeat, until `stop` is set or `durationUs` has elapsed. The same `RateScheduler` drives fast-time SITL; only
/// the source of time differs. The loop itself allocates nothing; it publishes its tick count for the watchdog.
public struct RealtimeLoop {
    public let table: TaskTable
    public let clock: SystemMonotonicClock
    /// Set by another thread (signals, a test) to end the loop at the next tick boundary.
    public let stop: ManagedAtomic<Bool>
    /// Incremented after every tick; the supervisor's watchdog reads it.
    public let tickCount: ManagedAtomic<UInt64>

    public init(table: TaskTable, clock: SystemMonotonicClock = SystemMonotonicClock(),
                stop: ManagedAtomic<Bool> = ManagedAtomic(false), tickCount: ManagedAtomic<UInt64> = ManagedAtomic(0)) {
        self.table = table
        self.clock = clock
        self.stop = stop
        self.tickCount = tickCount
    }

    /// Runs on the calling thread (make it the real-time thread first) and returns the scheduler with its
    /// statistics for the report.
    public func run<Tasks: RealtimeTasks>(tasks: inout Tasks, durationUs: UInt64? = nil) -> RateScheduler {
        // Start one period from now so the first deadline is not already late.
        let start = clock.nowUs() &+ table.periodUs
        var scheduler = RateScheduler(table: table, startUs: start)
        let end = durationUs.map { start &+ $0 }
        while !stop.load(ordering: .relaxed) {
            let deadline = scheduler.nextDeadlineUs
            if let end, deadline >= end { break }
            clock.sleep(untilUs: deadline)
            let wakeUs = clock.nowUs()
            let startNs = SystemMonotonicClock.nowNs()
            scheduler.runTick(wakeUs: wakeUs, tasks: &tasks, stopwatchNs: SystemMonotonicClock.nowNs)
            let executionNs = SystemMonotonicClock.nowNs() &- startNs
            tickCount.wrappingIncrement(ordering: .releasing)
            tasks.afterTick(TickTiming(deadlineUs: deadline, wakeUs: wakeUs, executionNs: executionNs),
                            scheduler: scheduler)
        }
        return scheduler
    }

    /// A task table with nothing to do after a tick.
    public func run<Tasks: ScheduledTasks>(tasks: inout Tasks, durationUs: UInt64? = nil) -> RateScheduler {
        var plain = PlainTasks(tasks: tasks)
        let scheduler = run(tasks: &plain, durationUs: durationUs)
        tasks = plain.tasks
        return scheduler
    }
}

private struct PlainTasks<Tasks: ScheduledTasks>: RealtimeTasks {
    var tasks: Tasks
    mutating func run(taskIndex: Int, nowUs: UInt64) { tasks.run(taskIndex: taskIndex, nowUs: nowUs) }
    func afterTick(_ timing: TickTiming, scheduler: borrowing RateScheduler) {}
}
