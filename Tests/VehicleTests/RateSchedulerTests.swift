@testable import Vehicle
import Testing

/// A fake CPU: each task advances a shared nanosecond counter by a programmed cost.
private final class FakeTime {
    var ns: UInt64 = 0
}

private struct CostedTasks: ScheduledTasks {
    let time: FakeTime
    var costNs: [UInt64]
    var runs: [[UInt64]]
    init(time: FakeTime, costNs: [UInt64]) {
        self.time = time; self.costNs = costNs; runs = Array(repeating: [], count: costNs.count)
    }
    mutating func run(taskIndex: Int, nowUs: UInt64) {
        runs[taskIndex].append(nowUs)
        time.ns += costNs[taskIndex]
    }
}

@Suite struct RateSchedulerTests {
    let table = try! TaskTable(baseRateHz: 400, tasks: [
        TaskSpec(name: "sensors+ekf", rateHz: 400, budgetUs: 800),
        TaskSpec(name: "guidance", rateHz: 50, budgetUs: 500),
        TaskSpec(name: "mission", rateHz: 10, budgetUs: 500),
    ])

    /// Runs ticks waking exactly on time, with the fake CPU as both stopwatch and wall clock.
    private func run(ticks: Int, costs: [UInt64], wakeLateUs: (Int) -> UInt64 = { _ in 0 }) -> (RateScheduler, CostedTasks) {
        let time = FakeTime()
        var tasks = CostedTasks(time: time, costNs: costs)
        var s = RateScheduler(table: table, startUs: 1_000)
        for k in 0..<ticks {
            let wake = s.nextDeadlineUs + wakeLateUs(k)
            time.ns = wake * 1000
            s.runTick(wakeUs: wake, tasks: &tasks, stopwatchNs: { time.ns })
        }
        return (s, tasks)
    }

    @Test func tasksRunAtTheirRates() {
        let (s, tasks) = run(ticks: 400, costs: [100_000, 50_000, 50_000])
        #expect(tasks.runs.map(\.count) == [400, 50, 10])
        #expect(s.stats.tasks.map(\.runs) == [400, 50, 10])
        #expect(s.stats.tickOverruns == 0)
        // Guidance runs every 8th tick: 8 × 2500 µs apart on the timeline.
        #expect(tasks.runs[1][1] - tasks.runs[1][0] == 20_000)
    }

    @Test func timelineDoesNotDriftWithLateWakeups() {
        let (s, _) = run(ticks: 1000, costs: [100_000, 0, 0], wakeLateUs: { k in UInt64(k % 7) * 100 })
        #expect(s.nextDeadlineUs == 1_000 + 1000 * 2500)
        #expect(s.stats.wakeJitterUs.max >= 600 && s.stats.wakeJitterUs.max <= 601)
        #expect(s.stats.tickOverruns == 0)
    }

    @Test func overrunSkipsMissedDeadlinesWithoutBurst() {
        let time = FakeTime()
        // The mission task takes 6 ms once: the 2.5 ms ticks it spans are skipped, not run back to back.
        var tasks = CostedTasks(time: time, costNs: [100_000, 0, 6_000_000])
        var s = RateScheduler(table: table, startUs: 0)
        time.ns = 0
        s.runTick(wakeUs: 0, tasks: &tasks, stopwatchNs: { time.ns })
        #expect(s.stats.tickOverruns == 1)
        // Ended at 6.1 ms: deadlines 2.5 and 5.0 ms are gone, the next is 7.5 ms on the same grid.
        #expect(s.nextDeadlineUs == 7_500)
        #expect(s.stats.skippedTicks == 2)
        #expect(s.stats.tasks[2].overruns == 1)
        #expect(s.stats.tasks[0].overruns == 0)
    }

    @Test func taskOverrunCountsAgainstBudget() {
        let (s, _) = run(ticks: 40, costs: [900_000, 0, 0])
        #expect(s.stats.tasks[0].overruns == 40)
        #expect(s.stats.tasks[0].maxExecutionNs == 900_000)
        #expect(s.stats.tickOverruns == 0)
        let report = SchedulerReport(scheduler: s)
        #expect(report.text.contains("sensors+ekf"))
        #expect(report.tickExecutionUs.p50 >= 899 && report.tickExecutionUs.p50 <= 901)
    }

    @Test func invalidTablesAreRejected() {
        #expect(throws: TaskTableError.baseRateOutOfRange(hz: 2000)) {
            _ = try TaskTable(baseRateHz: 2000, tasks: [TaskSpec(name: "a", rateHz: 100, budgetUs: 10)])
        }
        #expect(throws: TaskTableError.rateDoesNotDivideBase(task: "gps", rateHz: 7, baseHz: 400)) {
            _ = try TaskTable(baseRateHz: 400, tasks: [TaskSpec(name: "gps", rateHz: 7, budgetUs: 10)])
        }
        #expect(throws: TaskTableError.budgetExceedsPeriod(task: "ekf", budgetUs: 3000, periodUs: 2500)) {
            _ = try TaskTable(baseRateHz: 400, tasks: [TaskSpec(name: "ekf", rateHz: 400, budgetUs: 3000)])
        }
        #expect(throws: TaskTableError.empty) { _ = try TaskTable(baseRateHz: 400, tasks: []) }
    }
}
