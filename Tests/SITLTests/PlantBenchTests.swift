import Board
import EmulatedBoard
import Foundation
import Simulation
import Testing
@testable import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The plant behind `kestrel fly --emulated --plant`: it follows the flight loop's clock, stays on the catapult until
/// the launch delay after the arm, and never bursts to catch up with a stalled loop.
@Suite struct PlantBenchTests {
    static func bench(launchDelayS: Double = 2) throws -> (PlantBench, EmulatedHardware) {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/bench/plant.toml")
        let bench = try PlantBench(scenario: scenario, board: scenario.board, launchDelayS: launchDelayS)
        return (bench, EmulatedHardware(board: scenario.board, switchArmed: true))
    }

    /// Feeds the bench at the sensor task's 400 Hz from `fromUs` to `toUs` of flight-loop time.
    static func run(_ bench: inout PlantBench, _ board: EmulatedHardware, fromUs: UInt64, toUs: UInt64) {
        var t = fromUs
        while t <= toUs {
            board.manualClock.set(toUs: t)
            bench.feedDue(board, nowUs: t)
            t += 2_500
        }
    }

    @Test func theCatapultFiresOnlyTheLaunchDelayAfterTheArm() throws {
        var (bench, board) = try Self.bench(launchDelayS: 2)
        let start: UInt64 = 7_000_000_000  // the loop's clock is CLOCK_MONOTONIC: far from zero
        Self.run(&bench, board, fromUs: start, toUs: start + 20_000_000)
        // 20 s unarmed: on the rail, at rest, plant time following the loop's.
        #expect(bench.vehicle.timeUs == 20_000_000)
        #expect(bench.vehicle.state.velocityNEDMps.norm < 1e-9)
        #expect(bench.launchedAtUs == nil)
        // An arm then a disarm before the shot stands the crew down.
        bench.outputsArmedChanged(true, board: board)
        Self.run(&bench, board, fromUs: start + 20_002_500, toUs: start + 21_000_000)
        bench.outputsArmedChanged(false, board: board)
        Self.run(&bench, board, fromUs: start + 21_002_500, toUs: start + 25_000_000)
        #expect(bench.launchedAtUs == nil && bench.vehicle.state.velocityNEDMps.norm < 1e-9)
        // Armed again: still at rest until the delay has passed, then thrown off the rail at launch speed.
        bench.outputsArmedChanged(true, board: board)
        #expect(bench.launchedAtUs == 27_000_000)
        Self.run(&bench, board, fromUs: start + 25_002_500, toUs: start + 26_900_000)
        #expect(bench.vehicle.state.velocityNEDMps.norm < 1e-9)
        Self.run(&bench, board, fromUs: start + 26_902_500, toUs: start + 27_400_000)
        #expect(bench.vehicle.state.velocityNEDMps.norm > 15)
        // A disarm in the air does not put it back on the rail.
        bench.outputsArmedChanged(false, board: board)
        #expect(bench.launchedAtUs == 27_000_000)
    }

    @Test func aStalledLoopIsNotMadeUpByABurstOfPlantSteps() throws {
        var (bench, board) = try Self.bench()
        Self.run(&bench, board, fromUs: 1_000_000, toUs: 2_000_000)
        let before = bench.vehicle.timeUs
        // The loop stalls for a second: one read steps at most maxCatchUpSteps, and the rest is skipped, counted.
        board.manualClock.set(toUs: 3_000_000)
        bench.feedDue(board, nowUs: 3_000_000)
        #expect(bench.vehicle.timeUs - before == UInt64(PlantBench.maxCatchUpSteps) * 2_500)
        #expect(bench.skippedUs == 1_000_000 - UInt64(PlantBench.maxCatchUpSteps) * 2_500)
        // Afterwards it follows the loop again, step for step.
        Self.run(&bench, board, fromUs: 3_002_500, toUs: 3_100_000)
        #expect(bench.vehicle.timeUs - before == 1_100_000 - bench.skippedUs)
    }

    @Test func refusesWhatItCannotFly() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/bench/plant.toml")
        #expect(throws: ClosedLoopScenarioError.self) {
            try PlantBench(scenario: scenario, board: scenario.board, launchDelayS: -1)
        }
        var fast = scenario.board
        fast.realtime.baseRateHz = 500
        #expect(throws: ClosedLoopScenarioError.self) {
            try PlantBench(scenario: scenario, board: fast, launchDelayS: 1)
        }
    }
}
