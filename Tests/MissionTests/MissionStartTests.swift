import FlightMath
import Guidance
import Mission
import Testing

/// A ground station's switch to the mission (DO_SET_MODE MISSION, MISSION_START) in every mode: accepted where
/// the vehicle flies the plan or is bound for it, resuming it from a hold or a return, refused with a reason while
/// the gate owns the flight.
@Suite struct MissionStartTests {
    typealias T = FlightModeMachineTests

    @Test func onTheGroundOnTheLauncherAndInTheClimbItIsAcceptedAndChangesNothing() throws {
        var m = try T().machine()
        var t: UInt64 = 1_000_000
        let ground = T.healthy(.zero, now: t)
        #expect(m.handle(.startMission, inputs: ground, nowUs: t) == nil)
        #expect(m.mode == .disarmed)
        #expect(m.handle(.arm, inputs: ground, nowUs: t) == nil)
        #expect(m.handle(.startMission, inputs: ground, nowUs: t) == nil)
        #expect(m.mode == .standby)
        var launch = ground
        launch.launchDetected = true
        m.update(inputs: launch, nowUs: t)
        #expect(m.mode == .launch)
        let climb = m.navigation
        #expect(m.handle(.startMission, inputs: T.healthy(Vector3(20, 0, -15), now: t), nowUs: t) == nil)
        #expect(m.mode == .launch && m.navigation == climb)
        // The climb hands over to the mission as it would have anyway.
        t += 5_000_000
        m.update(inputs: T.healthy(Vector3(100, 0, -70), now: t), nowUs: t)
        #expect(m.mode == .mission)
        // Already flying it: a no-op.
        let before = m.transitions.records.count
        #expect(m.handle(.startMission, inputs: T.healthy(Vector3(150, 0, -80), now: t), nowUs: t) == nil)
        #expect(m.mode == .mission && m.transitions.records.count == before)
        #expect(m.transitions.records.map(\.to) == [.standby, .launch, .mission])
    }

    @Test func fromAHoldOrAReturnItResumesTheMission() throws {
        var m = try T().machine()
        var t = T().inLoiter(&m)
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.holdHere, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .loiter)
        #expect(m.handle(.startMission, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .mission)
        t += 1_000_000
        #expect(m.handle(.returnToLaunch, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .returnToLaunch)
        #expect(m.handle(.startMission, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .mission)
        #expect(m.transitions.records.suffix(4).map(\.reason) == [
            .operatorHold, .missionStarted, .operatorReturnToLaunch, .missionStarted,
        ])
    }

    @Test func whileTheGateOwnsTheFlightItIsRefusedAndNamesTheMode() throws {
        var m = try T().machine()
        var t = T().inLoiter(&m)
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.requestTerminal, inputs: T.healthy(here, now: t, captured: true), nowUs: t) == nil)
        #expect(m.handle(.startMission, inputs: T.healthy(here, now: t, captured: true), nowUs: t)
                == .missionStart(in: .approvalPending))
        #expect(m.mode == .approvalPending && m.pendingRequest != nil)
        let request = try #require(m.pendingRequest)
        t += 1_000_000
        #expect(m.handle(.approval(try Fixture.alice().sign(request, decision: .approve)),
                         inputs: T.healthy(here, now: t, captured: true), nowUs: t) == nil)
        #expect(m.mode == .terminal)
        let refusal = m.handle(.startMission, inputs: T.healthy(here, now: t), nowUs: t)
        #expect(refusal == .missionStart(in: .terminal))
        #expect(refusal?.description == "mission start refused in terminal")
        #expect(m.mode == .terminal)
    }
}
