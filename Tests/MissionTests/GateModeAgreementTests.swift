import FlightMath
import Guidance
import Mission
import Testing

/// Issue 16 finding 2: the gate and the mode machine never disagree. Each test is one way they used to: a mode
/// change out of the terminal phase or the wave-off climb that the gate was not told about.
@Suite struct GateModeAgreementTests {
    typealias T = FlightModeMachineTests
    typealias Machine = T.Machine
    static let designationNEDM = T.designation.ned(in: T.frame)

    /// In the terminal phase on the outbound leg, at the loiter height; returns the time and the request.
    static func inTerminal(_ m: inout Machine) throws -> (UInt64, ApprovalRequest) {
        var t = T().inLoiter(&m)
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.requestTerminal, inputs: T.healthy(here, now: t, captured: true), nowUs: t) == nil)
        let request = try #require(m.pendingRequest)
        t += 1_000_000
        #expect(m.handle(.approval(try Fixture.alice().sign(request, decision: .approve)),
                         inputs: T.healthy(here, now: t, captured: true), nowUs: t) == nil)
        #expect(m.mode == .terminal && m.gate.state.kind == .terminal)
        return (t, request)
    }

    /// The invariant, written independently of the machine's own `gateAgreesWithMode`: approval-pending, terminal
    /// and wave-off are the modes of the gate's pending, terminal and waving-off states, one to one.
    static func agree(_ mode: FlightMode, _ gate: GateStateKind) -> Bool {
        switch gate {
        case .idle: ![.approvalPending, .terminal, .waveOff].contains(mode)
        case .pending: mode == .approvalPending
        case .terminal: mode == .terminal
        case .wavingOff: mode == .waveOff
        }
    }

    static func checkAgreement(_ m: Machine, _ comment: Comment? = nil) {
        #expect(agree(m.mode, m.gate.state.kind), comment)
        #expect(m.gateAgreesWithMode == agree(m.mode, m.gate.state.kind), comment)
        #expect((m.pendingRequest != nil) == (m.gate.state.kind == .pending), comment)
    }

    /// Operator hold out of the approach (above the floor): the gate is idle, a wave-off no longer drags the
    /// vehicle back, a new request is possible from the hold, and failures act again.
    @Test func holdOutOfTerminalLeavesTheGateIdle() throws {
        var m = try T().machine()
        var (t, request) = try Self.inTerminal(&m)
        // 50 m from the designation at 100 m: the hold orbit is over it, above the exclusion volume.
        let over = Self.designationNEDM + Vector3(50, 0, -100)
        t += 1_000_000
        #expect(m.handle(.holdHere, inputs: T.healthy(over, now: t), nowUs: t) == nil)
        #expect(m.mode == .loiter)
        #expect(m.gate.state == .idle)
        Self.checkAgreement(m)
        let hold = m.navigation
        // A wave-off of the old request is refused (its nonce was used by the approval): nothing is in progress.
        #expect(m.handle(.approval(try Fixture.bob().sign(request, decision: .waveOff)),
                         inputs: T.healthy(over, now: t), nowUs: t) == .waveOffRejected(.replayed))
        #expect(m.mode == .loiter && m.navigation == hold)
        // A new request from the hold orbit over the designation.
        t += 10_000_000
        m.update(inputs: T.healthy(over, now: t, captured: true), nowUs: t)
        #expect(m.handle(.requestTerminal, inputs: T.healthy(over, now: t, captured: true), nowUs: t) == nil)
        #expect(m.mode == .approvalPending)
        Self.checkAgreement(m)
    }

    /// After a hold out of the approach the vehicle may sink below the abort floor (far from the designation);
    /// a failure there must still fire — the gate must not think an approach is committed.
    @Test func failureAfterHoldOutOfTerminalFiresBelowTheFloor() throws {
        var m = try T().machine()
        var (t, _) = try Self.inTerminal(&m)
        let away = Self.designationNEDM + Vector3(400, 0, -80)
        t += 1_000_000
        #expect(m.handle(.holdHere, inputs: T.healthy(away, now: t), nowUs: t) == nil)
        // Down to 20 m above the designation's height, 400 m away (outside the exclusion volume); then the link
        // goes silent.
        t += 20_000_000
        m.update(inputs: T.healthy(Self.designationNEDM + Vector3(400, 0, -20), now: t), nowUs: t)
        #expect(m.mode == .loiter)
        let lastContact = t
        t += 11_000_000
        var low = T.healthy(Self.designationNEDM + Vector3(400, 0, -20), now: t)
        low.lastGroundContactUs = lastContact
        m.update(inputs: low, nowUs: t)
        #expect(m.mode == .returnToLaunch)
        #expect(m.transitions.last?.reason == .failsafe(.linkLoss))
        Self.checkAgreement(m)
    }

    /// Reposition (DO_REPOSITION) out of the approach.
    @Test func repositionOutOfTerminalLeavesTheGateIdle() throws {
        var m = try T().machine()
        var (t, _) = try Self.inTerminal(&m)
        t += 1_000_000
        let here = T.healthy(Self.designationNEDM + Vector3(400, 0, -120), now: t)
        #expect(m.handle(.holdAt(centerNEDM: Self.designationNEDM + Vector3(0, 0, -150), radiusM: 120),
                         inputs: here, nowUs: t) == nil)
        #expect(m.mode == .loiter && m.gate.state == .idle)
        Self.checkAgreement(m)
        t += 20_000_000
        let onOrbit = T.healthy(Self.designationNEDM + Vector3(120, 0, -150), now: t, captured: true)
        m.update(inputs: onOrbit, nowUs: t)
        #expect(m.handle(.requestTerminal, inputs: onOrbit, nowUs: t) == nil)
        #expect(m.mode == .approvalPending)
    }

    /// RTL during the wave-off climb: the gate must not stay "waving off" (refusing every later request).
    @Test func returnToLaunchDuringTheWaveOffClimbLeavesTheGateIdle() throws {
        var m = try T().machine()
        var (t, request) = try Self.inTerminal(&m)
        let here = T.orbit.centerNEDM + Vector3(300, 0, 50)
        t += 1_000_000
        #expect(m.handle(.approval(try Fixture.bob().sign(request, decision: .waveOff)),
                         inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .waveOff && m.gate.state.kind == .wavingOff)
        t += 1_000_000
        #expect(m.handle(.returnToLaunch, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .returnToLaunch && m.gate.state == .idle)
        Self.checkAgreement(m)
        // Back to the plan's loiter over the designation: a request is possible again.
        #expect(m.handle(.startMission, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        t += 30_000_000
        let onOrbit = T.healthy(T.orbit.centerNEDM + Vector3(120, 0, 0), now: t, captured: true)
        m.update(inputs: onOrbit, nowUs: t)
        #expect(m.handle(.requestTerminal, inputs: onOrbit, nowUs: t) == nil)
        #expect(m.mode == .approvalPending)
    }

    /// An operator hold during the wave-off climb.
    @Test func holdDuringTheWaveOffClimbLeavesTheGateIdle() throws {
        var m = try T().machine()
        var (t, request) = try Self.inTerminal(&m)
        let here = T.orbit.centerNEDM + Vector3(300, 0, 50)
        t += 1_000_000
        _ = m.handle(.approval(try Fixture.bob().sign(request, decision: .waveOff)), inputs: T.healthy(here, now: t),
                     nowUs: t)
        #expect(m.mode == .waveOff)
        #expect(m.handle(.holdHere, inputs: T.healthy(here, now: t), nowUs: t) == nil)
        #expect(m.mode == .loiter && m.gate.state == .idle)
        Self.checkAgreement(m)
    }

    /// A failure whose action is loiter, during the approach above the floor: the gate went to "waving off" while
    /// the machine flew a plain loiter, and nothing ever brought the gate back.
    @Test(arguments: [GateFailure.gps, .estimator])
    func loiterFailsafeDuringTerminalLeavesTheGateIdle(failure: GateFailure) throws {
        var m = try T().machine()  // GPS and estimator failures: loiter (navigation recovery action)
        var (t, _) = try Self.inTerminal(&m)
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        var failing = T.healthy(here, now: t)
        if failure == .gps { failing.gpsHealthy = false } else { failing.attitudeValid = false }
        t += 100_000
        m.update(inputs: failing, nowUs: t)
        #expect(m.mode == .loiter)
        #expect(m.gate.state == .idle)
        Self.checkAgreement(m)
        // Recovered and back on the orbit over the designation: a new request is not refused as "climbing back".
        t += 20_000_000
        let onOrbit = T.healthy(here, now: t, captured: true)
        m.update(inputs: onOrbit, nowUs: t)
        #expect(m.handle(.requestTerminal, inputs: onOrbit, nowUs: t) == nil)
        #expect(m.mode == .approvalPending)
    }

    /// A failure raised below the floor does not end the committed approach, but its action applies once the
    /// approach is over.
    @Test func failureHeldBelowTheFloorActsWhenTheApproachEnds() throws {
        var m = try T().machine()
        var (t, _) = try Self.inTerminal(&m)
        guard case .waypoint(_, _, let start, _, _) = m.navigation else { Issue.record("no outbound leg"); return }
        t += 20_000_000
        m.update(inputs: T.healthy(start, now: t), nowUs: t)
        guard case .terminalApproach = m.navigation else { Issue.record("not on the approach"); return }
        // Down below the floor first (the gate learns the height on each tick), then the link goes silent.
        t += 20_000_000
        m.update(inputs: T.healthy(Self.designationNEDM + Vector3(60, 0, -20), now: t), nowUs: t)
        let lastContact = t
        t += 11_000_000
        var low = T.healthy(Self.designationNEDM + Vector3(60, 0, -20), now: t)
        low.lastGroundContactUs = lastContact
        m.update(inputs: low, nowUs: t)
        #expect(m.mode == .terminal)  // committed: the link loss does not end it
        t += 1_000_000
        low.approachPhase = .passedTarget
        m.update(inputs: low, nowUs: t)
        #expect(m.mode == .returnToLaunch)
        #expect(m.transitions.last?.reason == .failsafe(.linkLoss))
        Self.checkAgreement(m)
    }
}
