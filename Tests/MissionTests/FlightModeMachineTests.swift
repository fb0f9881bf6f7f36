import FlightMath
import Guidance
import Mission
import Testing

/// The mode machine driven tick by tick with hand-made inputs: arming checks, launch, mission, the approval gate
/// end to end (request, approval, wave-off, forged and stale approvals), and failsafes.
@Suite struct FlightModeMachineTests {
    static let home = Geodetic(latitudeDeg: 47.3977419, longitudeDeg: 8.5455938, altitudeM: 488)
    static let frame = LocalFrame(origin: home)

    static func point(_ north: Double, _ east: Double, _ alt: Double) -> MissionPoint {
        let g = frame.geodetic(ofNED: Vector3(north, east, 0))
        return MissionPoint(latitudeDeg: g.latitudeDeg, longitudeDeg: g.longitudeDeg, relativeAltitudeM: alt)
    }

    static let designation = point(1200, 0, 0)
    static let orbit = LoiterOrbit(centerNEDM: designation.ned(in: frame) + Vector3(0, 0, -150), radiusM: 120)

    typealias Machine = FlightModeMachine<SeededNonceSource>

    func machine(policy: FailsafePolicy = FailsafePolicy(abortFloorAboveTargetM: 30), seed: UInt64 = 3) throws -> Machine {
        let plan = try MissionPlan.validated(
            items: [.launch(altitudeM: 60), .waypoint(position: Self.point(600, 0, 150), acceptanceRadiusM: 30),
                    .loiter(center: Self.designation.withAltitude(150), radiusM: 120, direction: .clockwise, exit: .unlimited)],
            designation: Designation(position: Self.designation), home: Self.home)
        let gate = TerminalGate(configuration: try policy.gateConfiguration(vehicleID: Fixture.vehicle,
                                                                            requestLifetimeUs: 30_000_000),
                                operators: try Fixture.keyRing(), entropy: SeededNonceSource(seed: seed))
        let fence = try Geofence(polygonDeg: [(-3000, -3000), (-3000, 3000), (3000, 3000), (3000, -3000)].map { n, e in
            let g = Self.frame.geodetic(ofNED: Vector3(n, e, 0))
            return (g.latitudeDeg, g.longitudeDeg)
        }, floorM: -10, ceilingM: 400, frame: Self.frame)
        return Machine(plan: plan, geofence: fence, policy: policy, gate: gate, launchHeadingRad: 0)
    }

    /// Healthy inputs at a position, with the ground station heard just now.
    static func healthy(_ ned: Vector3, now: UInt64, captured: Bool = false) -> ModeInputs {
        ModeInputs(positionNEDM: ned, attitudeValid: true, positionValid: true, gpsHealthy: true, armSwitchInArm: true,
                   lastGroundContactUs: now, batteryVoltageV: 16, missionCommand: .loiter(itemIndex: 2, orbit: orbit),
                   loiterCaptured: captured, utcTimeUs: now)
    }

    /// Arms, launches, climbs and reaches the loiter over the designation.
    func inLoiter(_ m: inout Machine) -> UInt64 {
        var t: UInt64 = 1_000_000
        let ground = Self.healthy(.zero, now: t)
        #expect(m.handle(.arm, inputs: ground, nowUs: t) == nil)
        var launch = ground
        launch.launchDetected = true
        m.update(inputs: launch, nowUs: t)
        #expect(m.mode == .launch)
        t += 5_000_000
        m.update(inputs: Self.healthy(Vector3(100, 0, -70), now: t), nowUs: t)
        #expect(m.mode == .mission)
        t += 60_000_000
        m.update(inputs: Self.healthy(Self.orbit.centerNEDM + Vector3(120, 0, 0), now: t, captured: true), nowUs: t)
        #expect(m.navigation == .loiter(itemIndex: 2, orbit: Self.orbit))
        return t
    }

    @Test func armingChecksNameTheFailure() throws {
        var m = try machine()
        var inputs = Self.healthy(.zero, now: 0)
        inputs.armSwitchInArm = false
        #expect(m.handle(.arm, inputs: inputs, nowUs: 0) == .arming(.armSwitchSafe))
        inputs.armSwitchInArm = true
        inputs.gpsHealthy = false
        #expect(m.handle(.arm, inputs: inputs, nowUs: 0) == .arming(.noGPSFix))
        inputs.gpsHealthy = true
        inputs.batteryVoltageV = 12
        #expect(m.lastArmingRefusal == .noGPSFix)
        #expect(m.handle(.arm, inputs: inputs, nowUs: 0)?.description.contains("battery") == true)
        inputs.batteryVoltageV = 16
        inputs.positionValid = false
        #expect(m.handle(.arm, inputs: inputs, nowUs: 0) == .arming(.estimatorNotHealthy))
        #expect(m.mode == .disarmed)
    }

    @Test func requestApproveTerminalWaveOffAndReapprove() throws {
        var m = try machine()
        var t = inLoiter(&m)
        let here = Self.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.requestTerminal, inputs: Self.healthy(here, now: t, captured: true), nowUs: t) == nil)
        #expect(m.mode == .approvalPending)
        let request = try #require(m.pendingRequest)
        let approval = try Fixture.alice().sign(request, decision: .approve)
        t += 2_000_000
        #expect(m.handle(.approval(approval), inputs: Self.healthy(here, now: t, captured: true), nowUs: t) == nil)
        #expect(m.mode == .terminal)
        guard case .waypoint(_, _, let start, _, _) = m.navigation else { Issue.record("no outbound leg"); return }
        // The approach start is far enough out for the glide line at 0.2 rad plus the line-up.
        #expect((start - Self.designation.ned(in: Self.frame)).norm > 150 / 0.2027 + 250)

        // Wave-off above the floor: climb back to the same orbit, then loiter; a new request is needed.
        t += 1_000_000
        let waveOff = try Fixture.bob().sign(request, decision: .waveOff)
        #expect(m.handle(.approval(waveOff), inputs: Self.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .waveOff)
        #expect(m.navigation == .loiter(itemIndex: -1, orbit: Self.orbit))
        t += 20_000_000
        m.update(inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        #expect(m.mode == .loiter)
        // The old approval cannot be used again.
        #expect(m.handle(.approval(approval), inputs: Self.healthy(here, now: t, captured: true), nowUs: t) != nil)
        #expect(m.mode == .loiter)
        #expect(m.handle(.requestTerminal, inputs: Self.healthy(here, now: t, captured: true), nowUs: t) == nil)
        let second = try #require(m.pendingRequest)
        #expect(second.nonce != request.nonce)
        #expect(m.handle(.approval(try Fixture.alice().sign(second, decision: .approve)),
                         inputs: Self.healthy(here, now: t, captured: true), nowUs: t) == nil)
        #expect(m.mode == .terminal)
        #expect(m.transitions.records.map(\.to) == [
            .standby, .launch, .mission, .approvalPending, .terminal, .waveOff, .loiter, .approvalPending, .terminal,
        ])
        #expect(m.transitions.records.map(\.reason).contains(.waveOff(try Fixture.bob().authorisedKey.keyID)))
    }

    @Test func forgedStaleAndExpiredApprovalsNeverReachTerminal() throws {
        var m = try machine()
        var t = inLoiter(&m)
        let here = Self.orbit.centerNEDM + Vector3(120, 0, 0)
        _ = m.handle(.requestTerminal, inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        let first = try #require(m.pendingRequest)
        // Forged: signed by a key outside the ring.
        #expect(m.handle(.approval(try Fixture.mallory().sign(first, decision: .approve)),
                         inputs: Self.healthy(here, now: t, captured: true), nowUs: t) == .approvalRejected(.unknownKey))
        // A second request supersedes the first: an approval for the first is stale.
        _ = m.handle(.requestTerminal, inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        #expect(m.handle(.approval(try Fixture.alice().sign(first, decision: .approve)),
                         inputs: Self.healthy(here, now: t, captured: true), nowUs: t) == .approvalRejected(.otherNonce))
        let second = try #require(m.pendingRequest)
        // Expired: the request lives 30 s.
        t += 31_000_000
        m.update(inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        #expect(m.handle(.approval(try Fixture.alice().sign(second, decision: .approve)),
                         inputs: Self.healthy(here, now: t, captured: true), nowUs: t) != nil)
        #expect(m.mode != .terminal)
        #expect(!m.transitions.records.contains { $0.to == .terminal })
    }

    @Test func terminalRequestOnlyFromLoiterOverDesignation() throws {
        var m = try machine()
        let t = inLoiter(&m)
        // Not captured yet: refused.
        #expect(m.handle(.requestTerminal, inputs: Self.healthy(Self.orbit.centerNEDM + Vector3(400, 0, 0), now: t),
                         nowUs: t) == .terminalRejected(.notLoiteringOverDesignation))
        #expect(m.mode == .mission)
    }

    @Test func linkLossWhilePendingLeadsToRTLNeverTerminal() throws {
        var m = try machine()
        var t = inLoiter(&m)
        let here = Self.orbit.centerNEDM + Vector3(120, 0, 0)
        _ = m.handle(.requestTerminal, inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        let request = try #require(m.pendingRequest)
        let lastContact = t
        t += 11_000_000
        var silent = Self.healthy(here, now: lastContact, captured: true)
        silent.lastGroundContactUs = lastContact
        m.update(inputs: silent, nowUs: t)
        #expect(m.mode == .returnToLaunch)
        #expect(m.pendingRequest == nil)
        // An approval that arrives late (link back) does not act.
        #expect(m.handle(.approval(try Fixture.alice().sign(request, decision: .approve)),
                         inputs: Self.healthy(here, now: t), nowUs: t) != nil)
        #expect(m.mode == .returnToLaunch)
        #expect(m.transitions.last?.reason == .failsafe(.linkLoss))
    }

    @Test func gpsLossInLoiterFliesFailsafeOrbitThenRecovers() throws {
        var m = try machine()
        var t = inLoiter(&m)
        let here = Self.orbit.centerNEDM + Vector3(120, 0, 0)
        var lost = Self.healthy(here, now: t, captured: true)
        lost.gpsHealthy = false
        lost.positionValid = false
        t += 100_000
        m.update(inputs: lost, nowUs: t)
        #expect(m.mode == .failsafe)
        guard case .failsafeOrbit = m.navigation else { Issue.record("not a failsafe orbit"); return }
        #expect(m.handle(.requestTerminal, inputs: lost, nowUs: t) != nil)
        t += 10_000_000
        m.update(inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        #expect(m.mode == .loiter)
        #expect(m.transitions.last?.reason == .navigationRecovered)
    }

    @Test func geofenceBreachInTerminalAboveFloorEndsIt() throws {
        var m = try machine()
        var t = inLoiter(&m)
        let here = Self.orbit.centerNEDM + Vector3(120, 0, 0)
        _ = m.handle(.requestTerminal, inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        let request = try #require(m.pendingRequest)
        _ = m.handle(.approval(try Fixture.alice().sign(request, decision: .approve)),
                     inputs: Self.healthy(here, now: t, captured: true), nowUs: t)
        #expect(m.mode == .terminal)
        t += 1_000_000
        m.update(inputs: Self.healthy(Vector3(3500, 0, -150), now: t), nowUs: t)
        #expect(m.mode == .returnToLaunch)
    }

    @Test func repositionOrbitsTheTargetInsideTheFenceOnly() throws {
        var m = try machine()
        let t = inLoiter(&m) + 1_000_000
        let here = Self.healthy(Self.orbit.centerNEDM + Vector3(120, 0, 0), now: t, captured: true)
        let target = Vector3(500, -400, -90)
        #expect(m.handle(.holdAt(centerNEDM: target, radiusM: 80), inputs: here, nowUs: t) == nil)
        #expect(m.mode == .loiter && m.navigation == .loiter(itemIndex: -1, orbit: LoiterOrbit(centerNEDM: target,
                                                                                                 radiusM: 80)))
        // The fence is ±3 km: a target beyond it is refused and the orbit kept.
        let refusal = m.handle(.holdAt(centerNEDM: Vector3(3500, 0, -90), radiusM: nil), inputs: here, nowUs: t)
        #expect(refusal?.description.hasPrefix("reposition refused: target outside the fence polygon") == true)
        #expect(m.handle(.holdAt(centerNEDM: target, radiusM: 10), inputs: here, nowUs: t)?.description.contains("radius") == true)
        #expect(m.handle(.holdAt(centerNEDM: Vector3(0, 0, -5), radiusM: nil), inputs: here, nowUs: t) != nil)
        #expect(m.navigation == .loiter(itemIndex: -1, orbit: LoiterOrbit(centerNEDM: target, radiusM: 80)))
    }

    @Test func disarmRefusedInFlight() throws {
        var m = try machine()
        let t = inLoiter(&m)
        #expect(m.handle(.disarm, inputs: Self.healthy(.zero, now: t), nowUs: t) != nil)
        #expect(m.isArmed)
    }
}

extension MissionPoint {
    func withAltitude(_ a: Double) -> MissionPoint {
        MissionPoint(latitudeDeg: latitudeDeg, longitudeDeg: longitudeDeg, relativeAltitudeM: a)
    }
}
