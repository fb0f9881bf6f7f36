import Foundation
import Mission
import Testing
@testable import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A plan that asks for the terminal phase by itself (`[designation] request_terminal = true`): the request is
/// issued once the orbit over the designation is captured, with nobody asking, and not again after the wave-off.
@Suite struct AskOnArrivalTests {
    /// Over several turbulence and sensor-noise seeds: the arrival, the capture and the operator's timing move.
    @Test(arguments: [4020, 1, 2, 3] as [UInt64])
    func thePlanAsksOnceOnArrivalOverTheDesignation(seed: UInt64) throws {
        let run = try SITLRun(scenario: try ClosedLoopScenario.load(
            scenarioPath: "\(root)/Scenarios/gate/ask-on-arrival.toml"), seed: seed)
        run.run()
        let requests = run.gateEvents.filter { $0.event == .requestTerminal }
        #expect(requests.count == 1)
        #expect(requests.first?.outcome == .requestEmitted)
        let asked = try #require(run.transitions.first { $0.reason == .terminalRequested })
        #expect(asked.from == .mission)
        // Not before the climb is over and the orbit captured.
        let climbed = try #require(run.transitions.first { $0.reason == .launchHeightReached })
        #expect(asked.timeUs > climbed.timeUs)
        // The scripted operator approved and waved off; the vehicle is back in its orbit and has not asked again.
        #expect(run.transitions.contains { $0.to == .terminal } && run.transitions.contains { $0.to == .waveOff })
        let output = run.host.output  // a local: inside #expect this 2.8 kB temporary was misread (see TickOutput)
        #expect(output.mode == .loiter)
    }
}
