import FlightMath
import Guidance
import Mission
import Testing

/// Issue 16 finding 6: the gate guards the terminal mode, the exclusion volume guards the place. No plan item, leg
/// or orbit may enter the volume around the designation (default 250 m, below 60 m above it), and entering it in
/// flight outside the terminal phase is a fence breach.
@Suite struct TerminalExclusionTests {
    typealias T = FlightModeMachineTests
    static let designationNEDM = T.designation.ned(in: T.frame)

    static func plan(_ items: [MissionItem], exclusion: TerminalExclusion = TerminalExclusion()) throws(MissionPlanError)
        -> MissionPlan {
        try MissionPlan.validated(items: items, designation: Designation(position: T.designation), home: T.home,
                                  exclusion: exclusion)
    }

    static func refusal(_ items: [MissionItem]) -> MissionPlanError? {
        do throws(MissionPlanError) {
            _ = try plan(items)
            return nil
        } catch {
            return error
        }
    }

    static let launch = MissionItem.launch(altitudeM: 60)
    static func waypoint(_ north: Double, _ east: Double, _ alt: Double) -> MissionItem {
        .waypoint(position: T.point(north, east, alt), acceptanceRadiusM: 30)
    }
    static func loiter(_ north: Double, _ east: Double, _ alt: Double, radius: Double) -> MissionItem {
        .loiter(center: T.point(north, east, alt), radiusM: radius, direction: .clockwise, exit: .unlimited)
    }

    @Test func aWaypointAtTheDesignationIsRefusedNamingTheItem() {
        // The designation is 1200 m north of home, on the ground.
        let error = Self.refusal([Self.launch, Self.waypoint(600, 0, 100), Self.waypoint(1200, 0, 40)])
        guard case .insideTerminalExclusion(let item, let kind, let entry, let radius, let height)? = error else {
            Issue.record("accepted or wrong error: \(String(describing: error))")
            return
        }
        #expect(item == 3 && kind == "waypoint" && entry == .point)
        #expect(abs(radius - 250) < 1e-9 && abs(height - 60) < 0.5)
        #expect(error?.description.hasPrefix("item 3 (waypoint): its point lies in the terminal exclusion volume") == true)
    }

    @Test func aLegThroughTheVolumeIsRefused() {
        // Both ends 300 m from the designation, the leg passes 0 m from it at 40 m.
        let error = Self.refusal([Self.launch, Self.waypoint(1200, -300, 40), Self.waypoint(1200, 300, 40)])
        #expect(error == .insideTerminalExclusion(item: 3, kind: "waypoint", entry: .leg, radiusM: 250,
                                                  heightAboveDesignationM: Self.heightAboveDesignation))
        // A leg that climbs from low to high over it is taken at its lower end: refused too.
        #expect(Self.refusal([Self.launch, Self.waypoint(1200, -300, 40), Self.waypoint(1200, 300, 150)]) != nil)
    }

    static var heightAboveDesignation: Double {
        TerminalExclusion().volume(aroundNED: designationNEDM).topHeightM + designationNEDM.z
    }

    @Test func aLowOrbitThroughTheVolumeIsRefused() {
        // Centre 400 m away, radius 200 m: the orbit passes 200 m from the designation at 40 m.
        #expect(Self.refusal([Self.launch, Self.waypoint(600, 0, 40), Self.loiter(1600, 0, 40, radius: 200)])
            == .insideTerminalExclusion(item: 3, kind: "loiter", entry: .orbit, radiusM: 250,
                                        heightAboveDesignationM: Self.heightAboveDesignation))
    }

    @Test func aLaunchNextToTheDesignationIsRefused() throws {
        let nearHome = T.point(100, 0, 0)
        #expect(throws: MissionPlanError.self) {
            _ = try MissionPlan.validated(items: [Self.launch, Self.waypoint(600, 0, 100)],
                                          designation: Designation(position: nearHome), home: T.home)
        }
    }

    @Test func loitersAndLegsOverTheDesignationAboveTheVolumeAreAllowed() throws {
        _ = try Self.plan([Self.launch, Self.waypoint(600, 0, 100), Self.loiter(1200, 0, 100, radius: 120)])
        _ = try Self.plan([Self.launch, Self.waypoint(1200, -600, 100), Self.waypoint(1200, 600, 100),
                           Self.loiter(1200, 0, 150, radius: 120)])
        // Low, but far enough.
        _ = try Self.plan([Self.launch, Self.waypoint(1200, -300, 30), Self.waypoint(1600, -300, 30)])
        // The volume is configurable: a 100 m one lets a low pass 200 m away.
        _ = try Self.plan([Self.launch, Self.waypoint(1200, -200, 30), Self.waypoint(1600, -200, 30)],
                          exclusion: TerminalExclusion(radiusM: 100, heightAboveDesignationM: 60))
        // No designation, no volume.
        _ = try MissionPlan.validated(items: [Self.launch, Self.waypoint(1200, 0, 30)], designation: nil, home: T.home)
    }

    @Test func aMissionFileIsRefusedThroughTheSamePath() {
        let file = MissionFile(items: [Self.launch, Self.waypoint(1200, 10, 25)], designation: T.designation)
        #expect(throws: MissionFileError.self) { _ = try file.plan(home: T.home, source: "m.toml") }
    }

    // MARK: - In flight

    /// A machine whose plan is fine, flown into the volume in mission mode (as a resumed leg or a drift might):
    /// the geofence action (RTL) applies, with its own reason in the transition log.
    @Test func enteringTheVolumeInMissionModeIsABreach() throws {
        var m = try T().machine()
        var t = T().inLoiter(&m)
        #expect(m.mode == .mission)
        t += 1_000_000
        m.update(inputs: T.healthy(Self.designationNEDM + Vector3(100, 0, -45), now: t), nowUs: t)
        #expect(m.mode == .returnToLaunch)
        #expect(m.transitions.last?.reason == .exclusionEntered)
        #expect(m.gate.log.latest?.failure == .geofence)
        // While inside, no request can be made.
        #expect(m.handle(.requestTerminal, inputs: T.healthy(Self.designationNEDM + Vector3(100, 0, -45), now: t),
                         nowUs: t) != nil)
    }

    /// With the loiter action, the hold is lifted above the volume rather than parked in it.
    @Test func theLoiterActionHoldsAboveTheVolume() throws {
        var m = try T().machine(policy: FailsafePolicy(geofenceAction: .loiter, abortFloorAboveTargetM: 30))
        var t = T().inLoiter(&m)
        t += 1_000_000
        let low = Self.designationNEDM + Vector3(300, 0, -45)
        _ = m.handle(.holdAt(centerNEDM: Self.designationNEDM + Vector3(700, 0, -45), radiusM: 100),
                     inputs: T.healthy(low, now: t), nowUs: t)
        t += 1_000_000
        m.update(inputs: T.healthy(Self.designationNEDM + Vector3(200, 0, -45), now: t), nowUs: t)
        #expect(m.mode == .loiter && m.transitions.last?.reason == .exclusionEntered)
        guard case .loiter(_, let orbit) = m.navigation else { Issue.record("not loitering"); return }
        #expect(-orbit.centerNEDM.z > 60)
    }

    /// The approved approach enters the volume; neither it nor the climb back after it is a breach.
    @Test func theApproachAndTheClimbBackAreNoBreach() throws {
        var m = try T().machine()
        var (t, request) = try GateModeAgreementTests.inTerminal(&m)
        t += 1_000_000
        let inside = Self.designationNEDM + Vector3(150, 0, -40)
        m.update(inputs: T.healthy(inside, now: t), nowUs: t)
        #expect(m.mode == .terminal)
        t += 1_000_000
        #expect(m.handle(.approval(try Fixture.bob().sign(request, decision: .waveOff)),
                         inputs: T.healthy(inside, now: t), nowUs: t) == nil)
        #expect(m.mode == .waveOff)
        t += 1_000_000
        m.update(inputs: T.healthy(inside + Vector3(0, 0, -10), now: t), nowUs: t)
        #expect(m.mode == .waveOff)
        // An operator hold during the climb, still inside: the hold is lifted above the volume, and no breach.
        #expect(m.handle(.holdHere, inputs: T.healthy(inside, now: t), nowUs: t) == nil)
        t += 1_000_000
        m.update(inputs: T.healthy(inside, now: t), nowUs: t)
        #expect(m.mode == .loiter && m.transitions.last?.reason == .operatorHold)
        guard case .loiter(_, let orbit) = m.navigation else { Issue.record("not loitering"); return }
        #expect(-orbit.centerNEDM.z > 60)
        // Once out, coming back in is a breach.
        t += 1_000_000
        m.update(inputs: T.healthy(Self.designationNEDM + Vector3(150, 0, -80), now: t), nowUs: t)
        t += 1_000_000
        m.update(inputs: T.healthy(inside, now: t), nowUs: t)
        #expect(m.mode == .returnToLaunch && m.transitions.last?.reason == .exclusionEntered)
    }

    // MARK: - Reposition (finding 10)

    @Test func repositionChecksTheWholeOrbitItsRadiusAndTheVolume() throws {
        var m = try T().machine()
        let t = T().inLoiter(&m) + 1_000_000
        let here = T.healthy(T.orbit.centerNEDM + Vector3(120, 0, 0), now: t, captured: true)
        // The fence is ±3 km: a centre 2950 m out is inside, but a 100 m orbit around it is not.
        #expect(m.handle(.holdAt(centerNEDM: Vector3(2950, 0, -90), radiusM: 100), inputs: here, nowUs: t)
            == .repositionOrbitOutsideFence(radiusM: 100, centreInsideM: 50))
        // Radius bounded by the policy (1000 m by default).
        #expect(m.handle(.holdAt(centerNEDM: Vector3(0, 0, -90), radiusM: 1_500), inputs: here, nowUs: t)
            == .repositionRadiusTooLarge(maximumRadiusM: 1_000))
        // Over the designation below the volume's top, or a low orbit passing through it: refused.
        for (centre, radius) in [(Self.designationNEDM + Vector3(0, 0, -40), 100.0),
                                 (Self.designationNEDM + Vector3(400, 0, -40), 200.0)] {
            let refusal = m.handle(.holdAt(centerNEDM: centre, radiusM: radius), inputs: here, nowUs: t)
            #expect(refusal == .repositionInsideExclusion(radiusM: 250, heightAboveDesignationM: 60))
            #expect(refusal?.description.contains("exclusion volume") == true)
        }
        #expect(m.mode == .mission)
        // Over the designation above the volume: allowed (that is where the vehicle asks for approval).
        #expect(m.handle(.holdAt(centerNEDM: Self.designationNEDM + Vector3(0, 0, -150), radiusM: 120),
                         inputs: here, nowUs: t) == nil)
        #expect(m.mode == .loiter)
    }
}
