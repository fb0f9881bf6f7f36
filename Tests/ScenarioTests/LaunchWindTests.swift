import Foundation
import Testing
import Mission
import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A launch with the wind behind it leaves the rail below the speed the wing flies at and ends on the ground
/// (Scenarios/launch/tailwind-crash.toml, where the crew did not tell the vehicle the wind). Told the wind, the
/// vehicle refuses to arm with the numbers, the catapult never fires, and nothing crashes. Over seeds: the refusal
/// must not depend on sensor noise.
@Suite struct LaunchWindTests {
    @Test(arguments: [1, 2, 3, 20261121] as [UInt64])
    func aDeclaredTailwindLaunchIsRefusedAtArmingWithTheNumbers(seed: UInt64) throws {
        let s = try ClosedLoopRun.run(scenarioPath: "\(root)/Scenarios/launch/tailwind-refused.toml", seed: seed)
        let report = s.report
        #expect(s.crash == nil, "seed \(seed): \(report)")
        #expect(s.itemsCompleted == 0)
        let refusal = try #require(s.missionError, "seed \(seed): \(report)")
        #expect(refusal.contains("arming refused: airspeed off the launcher would be 4.0 m/s (launcher 18.0 m/s, "
                                 + "wind along the rail -14.0 m/s), below the 13.0 m/s minimum"), "\(refusal)")
        #expect(refusal.contains("at most 5.0 m/s from behind"), "\(refusal)")
        #expect(s.transitions.isEmpty && s.finalMode == .disarmed, "seed \(seed): \(report)")
    }

    /// The check goes by the wind the crew declares (the scenario's, set as FLT_LNCH_HWND): declared from ahead,
    /// the same launcher arms (before the catapult fires at 8 s). It cannot know better than the crew.
    @Test func theDeclaredWindDecides() throws {
        var scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/launch/tailwind-refused.toml")
        #expect(scenario.settings.flight.launchHeadwindMps == -14)
        try scenario.parameters.set("FLT_LNCH_HWND", to: 14)
        let run = try SITLRun(scenario: scenario)
        run.run(durationS: 7)
        let mode = run.host.output.mode
        #expect(mode == .standby, "mode \(mode)")
    }
}
