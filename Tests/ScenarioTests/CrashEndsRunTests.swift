import Foundation
import Testing
import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A touchdown the plant calls a crash ends the run: before, a catapult launch into a tailwind that hit the ground
/// 1.5 s after the rail was flown on for the scenario's whole minute, and its figures and exit status read like a
/// flight. Over several seeds, since turbulence-free sensor noise still changes the launch.
@Suite struct CrashEndsRunTests {
    @Test(arguments: [1, 2, 3, 20261121] as [UInt64])
    func tailwindLaunchCrashEndsTheRunAtTheCrash(seed: UInt64) throws {
        let s = try ClosedLoopRun.run(scenarioPath: "\(root)/Scenarios/launch/tailwind-crash.toml", seed: seed)
        let crash = try #require(s.crash, "seed \(seed): \(s.report)")
        #expect(s.crashed)
        // The run stopped on the crash step (one 2.5 ms plant step at most after the contact time), long before
        // the scenario's 60 s.
        #expect(s.simulatedS >= crash.timeS && s.simulatedS <= crash.timeS + 0.01, "seed \(seed)")
        #expect(s.simulatedS < 20)
        #expect(crash.impactSpeedMps > 0)
        #expect(s.report.contains("CRASHED at"))
        #expect(s.itemsCompleted == 0)
    }
}
