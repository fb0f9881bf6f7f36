@testable import Vehicle
@testable import FlightRuntime
@testable import SITL
import Foundation
import MAVLink
@testable import Mission
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// DO_SET_MODE MISSION (and MISSION_START, which takes the same path) from a ground station through the vehicle
/// host's command handling, with the COMMAND_ACK result it gets, in each phase of a simulated flight.
@Suite struct SetModeMissionTests {
    @Test func acceptedOnTheLauncherInTheClimbAndInTheMissionResumingItAfterAHoldOrAReturn() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/demo.toml")
        let sitl = try SITLRun(scenario: scenario)
        var sequence: UInt32 = 0
        func setModeMission() -> OperatorReply {
            sequence += 1
            return OperatorRequestHandling.handle(
                OperatorRequest(sequence: sequence, kind: .command(.setMode(.mission))), stack: &sitl.stack,
                nowUs: sitl.vehicle.timeUs)
        }
        func run(while condition: () -> Bool, untilS limitS: Double) {
            while condition(), sitl.timeS < limitS { sitl.step() }
        }

        // Armed on the catapult, waiting for the launch: accepted, the vehicle waits for the launch.
        run(while: { sitl.stack.mode != .standby }, untilS: 30)
        #expect(sitl.stack.mode == .standby)
        let onRail = setModeMission()
        #expect(onRail.result == .accepted && onRail.text == nil)
        #expect(sitl.stack.mode == .standby)

        // In the launch climb: accepted, the climb goes on and hands over to the mission as planned.
        run(while: { sitl.stack.mode != .launch }, untilS: 40)
        #expect(sitl.stack.mode == .launch)
        #expect(setModeMission().result == .accepted)
        #expect(sitl.stack.mode == .launch)
        run(while: { sitl.stack.mode == .launch }, untilS: 80)
        #expect(sitl.stack.mode == .mission)
        #expect(sitl.transitions.filter { $0.to == .mission }.map(\.reason) == [.launchHeightReached])

        // Flying the mission: a no-op, the leg stays the one the plan flies (not restarted from here).
        run(while: { sitl.stack.output.currentMissionItem < 2 }, untilS: 160)
        sitl.step()
        let leg = sitl.stack.command
        guard case .waypoint = leg else {
            Issue.record("expected a waypoint leg, got \(leg)")
            return
        }
        #expect(setModeMission().result == .accepted)
        for _ in 0..<100 { sitl.step() }  // a few mission-task ticks (10 Hz), well short of the waypoint
        #expect(sitl.stack.mode == .mission)
        #expect(sitl.stack.command == leg)

        // From a hold, and from a return: the mission resumes at the item it had reached.
        let item = sitl.stack.output.currentMissionItem
        #expect(sitl.handle(.holdHere, nowUs: sitl.vehicle.timeUs) == nil)
        for _ in 0..<400 { sitl.step() }
        #expect(sitl.stack.mode == .loiter)
        #expect(setModeMission().result == .accepted)
        #expect(sitl.stack.mode == .mission)
        for _ in 0..<400 { sitl.step() }
        let output = sitl.stack.output  // a local: inside #expect this 2.8 kB temporary was misread (see TickOutput)
        #expect(output.currentMissionItem == item)
        #expect(sitl.handle(.returnToLaunch, nowUs: sitl.vehicle.timeUs) == nil)
        for _ in 0..<400 { sitl.step() }
        #expect(sitl.stack.mode == .returnToLaunch)
        #expect(setModeMission().result == .accepted)
        for _ in 0..<400 { sitl.step() }
        let output2 = sitl.stack.output
        #expect(sitl.stack.mode == .mission && output2.currentMissionItem == item)
        #expect(sitl.refusals.isEmpty)
    }
}
