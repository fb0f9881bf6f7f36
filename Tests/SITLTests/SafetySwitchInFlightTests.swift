import Foundation
import Testing
@testable import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The arm switch in flight, end to end through the emulated GPIO line, the debounce, the output gate and the flight
/// stack: a SAFE glitch shorter than the board's hold leaves motor and surfaces live; a SAFE that holds cuts them.
@Suite struct SafetySwitchInFlightTests {
    @Test func aGlitchKeepsFlyingAndAHeldSafeCutsTheOutputs() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/bench/plant.toml")
        #expect(scenario.board.safetySwitch.inFlightHoldMs == 1000)
        let run = try SITLRun(scenario: scenario)
        run.run(durationS: 30)
        let output = run.host.output  // a local: inside #expect this 2.8 kB temporary was misread (see TickOutput)
        #expect(output.inFlight && output.outputsLive)
        // 200 ms in SAFE (well past the 20 ms debounce): the outputs stay live throughout.
        run.emulation.safetySwitch.set(active: false)
        var cut = false
        run.run(durationS: 0.2) { r in cut = cut || !r.host.output.outputsLive }
        run.emulation.safetySwitch.set(active: true)
        run.run(durationS: 0.5) { r in cut = cut || !r.host.output.outputsLive }
        #expect(!cut)
        let output2 = run.host.output
        #expect(output2.safetySwitchHeldSinceUs == nil && output2.safetySwitchCutsAfterHold == 0)
        // Held in SAFE: live until the hold has passed, then cut.
        run.emulation.safetySwitch.set(active: false)
        let safeAtS = run.timeS
        var cutAtS: Double?
        run.run(durationS: 1.5) { r in
            if cutAtS == nil, !r.host.output.outputsLive { cutAtS = r.timeS }
        }
        let held = try #require(cutAtS) - safeAtS
        #expect(held >= 1.0 && held < 1.1, "cut \(held) s after SAFE")
        let output3 = run.host.output
        #expect(output3.safetySwitchCutsAfterHold == 1)
    }
}
