import Benchmark
import Foundation
import Simulation
import SITL

/// The flight tick (sensors read through the drivers from the register-level emulators, navigation filter,
/// guidance, TECS, attitude control, mixer, PCA9685 write) and fast-time closed-loop SITL. Allocations per tick
/// must be 0.
let benchmarks: @Sendable () -> Void = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let demo = "\(root)/Scenarios/closed-loop-demo.toml"
    let scenario: ClosedLoopScenario
    do {
        scenario = try ClosedLoopScenario.load(scenarioPath: demo)
    } catch {
        fatalError("\(error)")  // benchmark set-up only, never on a flight path
    }

    // Record 100 s of plant sensor output in mission flight (from 40 s on), then replay it into a second run of
    // the same seed brought to the same instant: its flight stack does exactly the work of the recorded ticks.
    let warmUpS = 40.0
    let recordedTicks = 40_000
    let recorder: SITLRun
    let replay: SITLRun
    do {
        recorder = try SITLRun(scenario: scenario)
        replay = try SITLRun(scenario: scenario)
    } catch {
        fatalError("\(error)")
    }
    recorder.run(durationS: warmUpS)
    replay.run(durationS: warmUpS)
    var tape: [(SensorUpdates, SensorReadings, UInt64)] = []
    tape.reserveCapacity(recordedTicks)
    for _ in 0..<recordedTicks {
        recorder.step()
        tape.append((recorder.lastUpdates, recorder.vehicle.readings, recorder.vehicle.timeUs))
    }
    nonisolated(unsafe) var cursor = 0

    Benchmark("FlightTick",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                   maxDuration: .seconds(10), maxIterations: 39)) { benchmark in
        for _ in benchmark.scaledIterations {
            guard cursor < tape.count else { break }
            let (updates, readings, timeUs) = tape[cursor]
            replay.replayTick(updates: updates, readings: readings, timeUs: timeUs)
            cursor += 1
        }
        Benchmark.blackHole(replay.stack.actuatorCommands)
    }

    // One lockstep SITL tick: plant step + emulators + flight tick.
    let sitl: SITLRun
    do { sitl = try SITLRun(scenario: scenario) } catch { fatalError("\(error)") }
    sitl.run(durationS: warmUpS)
    Benchmark("SITLTick",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                   maxDuration: .seconds(10), maxIterations: 100)) { benchmark in
        for _ in benchmark.scaledIterations { sitl.step() }
        Benchmark.blackHole(sitl.vehicle.state)
    }

    // The whole closed-loop demo (420 s simulated) in fast time: sim-time/wall-time = 420 s / this time.
    Benchmark("ClosedLoopDemo420s",
              configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(20),
                                   maxIterations: 3)) { _ in
        Benchmark.blackHole(try? ClosedLoopRun.run(scenario))
    }
}
