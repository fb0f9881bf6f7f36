import Atomics
import FlightRuntime
import Foundation

/// `kestrel sim --batch`: many closed-loop runs in one process, on worker threads that each take the next run of
/// the list until none is left. A run owns everything it flies (scenario, plant, emulated board, vehicle host): the
/// SITL path keeps no state outside them (its statics are constants, which Swift 6 checks), so runs side by side
/// give the summaries they give alone, bit for bit.
public enum BatchRunner {
    /// Flies `runs` on `jobs` threads (the calling thread is one of them) and hands each outcome to `finished` as
    /// it comes, one call at a time, in the order runs finish. `finished` returning false stops handing out runs
    /// (an output that cannot be written); the runs in flight finish and are handed over. Returns how many were.
    @discardableResult
    public static func run(_ runs: [BatchRun], jobs: Int, durationS: Double? = nil, parameterFilePath: String? = nil,
                           finished: (BatchRunOutcome) -> Bool) -> Int {
        let next = ManagedAtomic<Int>(0)
        let stop = ManagedAtomic<Bool>(false)
        let lock = NSLock()
        var reported = 0
        return withoutActuallyEscaping(finished) { finished in
            let work = {
                while !stop.load(ordering: .relaxed) {
                    let index = next.loadThenWrappingIncrement(ordering: .relaxed)
                    guard index < runs.count else { return }
                    let outcome = fly(runs[index], durationS: durationS, parameterFilePath: parameterFilePath)
                    lock.lock()
                    reported += 1
                    if !finished(outcome) { stop.store(true, ordering: .relaxed) }
                    lock.unlock()
                }
            }
            // A thread the system refuses only leaves fewer workers: the list is shared, so every run is still flown.
            let helpers = (1..<max(1, min(jobs, runs.count))).map { i in LaunchedThread(name: "sim-batch-\(i)", body: work) }
            for thread in helpers { thread.start() }
            work()
            for thread in helpers { thread.join() }
            return reported
        }
    }

    /// One run, as `kestrel sim SCENARIO --seed N --no-log` flies it alone.
    public static func fly(_ run: BatchRun, durationS: Double?, parameterFilePath: String?) -> BatchRunOutcome {
        let start = ContinuousClock.now
        let result: Result<ClosedLoopSummary, BatchRunFailure>
        do {
            let scenario = try ClosedLoopScenario.load(scenarioPath: run.scenarioPath,
                                                       parameterFilePath: parameterFilePath)
            result = .success(try ClosedLoopRun.run(scenario, seed: run.seed, durationS: durationS))
        } catch {
            result = .failure(BatchRunFailure(error.description))
        }
        let wall = ContinuousClock.now - start
        return BatchRunOutcome(
            run: run, result: result,
            wallS: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18)
    }
}
