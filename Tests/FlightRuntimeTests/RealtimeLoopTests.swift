@testable import Vehicle
@testable import FlightRuntime
import Atomics
import Testing

private struct CountingTasks: ScheduledTasks {
    var runs = [0, 0]
    mutating func run(taskIndex: Int, nowUs: UInt64) { runs[taskIndex] += 1 }
}

/// The wall-clock loop on a real thread. Timings are not asserted (shared machines); counts and stopping are.
@Suite struct RealtimeLoopTests {
    @Test func runsForTheRequestedDurationOnAThread() throws {
        let table = try TaskTable(baseRateHz: 400, tasks: [
            TaskSpec(name: "fast", rateHz: 400, budgetUs: 2000), TaskSpec(name: "slow", rateHz: 50, budgetUs: 2000),
        ])
        let loop = RealtimeLoop(table: table)
        let result = ManagedAtomic<Int>(0)
        let thread = LaunchedThread(name: "kestrel-rt-test") {
            var tasks = CountingTasks()
            let s = loop.run(tasks: &tasks, durationUs: 250_000)
            // Ticks run + ticks skipped by overruns account for every deadline the loop passed: the 100 of 250 ms,
            // and, when the last tick was preempted past the end (a loaded machine), the deadlines it overran
            // there. Before, the test expected exactly 100 and failed under load (CI with a campaign beside it).
            let covered = Int(s.stats.ticks + s.stats.skippedTicks)
            let accounted = covered == Int(s.tickIndex) && covered >= 100
            result.store(accounted && tasks.runs[0] == Int(s.stats.ticks) ? 1 : 2, ordering: .relaxed)
        }
        #expect(thread.start() == 0)
        thread.join()
        #expect(result.load(ordering: .relaxed) == 1)
        #expect(loop.tickCount.load(ordering: .relaxed) > 0)
    }

    @Test func stopFlagEndsTheLoop() throws {
        let table = try TaskTable(baseRateHz: 100, tasks: [TaskSpec(name: "t", rateHz: 100, budgetUs: 1000)])
        let loop = RealtimeLoop(table: table)
        loop.stop.store(true, ordering: .relaxed)
        var tasks = CountingTasks()
        let s = loop.run(tasks: &tasks)
        #expect(s.stats.ticks == 0)
    }
}
