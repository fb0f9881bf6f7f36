import Mission
import Testing

@Suite struct GateTransitionTests {
    let t0: UInt64 = 5_000_000_000

    @Test func happyPathIsLoggedWithTimesAndKeys() throws {
        var gate = try Fixture.gate()
        let point = try Fixture.point()
        let request = try gate.loiterAndRequest(point, atUs: t0)
        #expect(request.vehicleID == Fixture.vehicle)
        #expect(request.point == point)
        #expect(request.issuedUs == t0)
        #expect(request.expiresUs == t0 + Fixture.lifetimeUs)
        #expect(request.sequence == 1)
        #expect(request.nonce != .zero)
        #expect(gate.state == .pending(request))

        let alice = try Fixture.alice()
        let approval = try alice.sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(approval), nowUs: t0 + 3_000_000) == .enterTerminal(request))
        #expect(gate.state == .terminal(request, approvedBy: alice.keyID))

        let records = gate.log.retained
        #expect(records.count == 2)  // the loiter tick did nothing and is not logged
        #expect(records[0].event == .requestTerminal)
        #expect(records[0].outcome == .requestEmitted)
        #expect(records[0].timeUs == t0)
        #expect(records[0].requestSequence == 1)
        #expect(records[0].keyID == .none)
        #expect(records[0].stateBefore == .idle && records[0].stateAfter == .pending)
        #expect(records[1].event == .approval)
        #expect(records[1].outcome == .terminalEntered)
        #expect(records[1].timeUs == t0 + 3_000_000)
        #expect(records[1].keyID == alice.keyID)
        #expect(records[1].stateAfter == .terminal)
    }

    private func gateInTerminal(altitudeM: Double) throws -> (TerminalGate<SeededNonceSource>, ApprovalRequest) {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        #expect(gate.handle(.approvalReceived(try Fixture.alice().sign(request, decision: .approve)), nowUs: t0 + 1)
            == .enterTerminal(request))
        #expect(gate.handle(.tick(altitudeAGLM: altitudeM), nowUs: t0 + 2) == .none)
        return (gate, request)
    }

    @Test func waveOffByAnyAuthorisedOperatorAboveFloorLeavesTerminal() throws {
        var (gate, request) = try gateInTerminal(altitudeM: Fixture.floorM + 0.01)
        let bob = try Fixture.bob()
        let off = try bob.sign(request, decision: .waveOff)
        #expect(gate.handle(.approvalReceived(off), nowUs: t0 + 10) == .leaveTerminal(.waveOff, then: .loiter))
        #expect(gate.state == .wavingOff(request))
        #expect(gate.log.latest?.keyID == bob.keyID)
        #expect(gate.log.latest?.event == .waveOff)
        // No new terminal phase without a new request and approval.
        let d = gate.handle(.requestTerminal(designation: request.point, loiteringOverDesignation: true), nowUs: t0 + 20)
        #expect(d == .reject(.climbingBack))
        #expect(gate.handle(.loiterEstablished, nowUs: t0 + 30) == .none)
        #expect(gate.state == .idle)
        let again = try gate.loiterAndRequest(request.point, atUs: t0 + 40)
        #expect(again.nonce != request.nonce)
    }

    /// Below the abort floor the approach is committed: a pull-up from there may not clear the ground, so the
    /// terminal phase continues, and the wave-off is refused as such, so the operator is told (TERMINAL_STATUS
    /// last_rejection, `kestrel approve link`) instead of waiting for an outcome that never comes.
    @Test func waveOffAtOrBelowFloorIsRefusedAndTheApproachContinues() throws {
        var (gate, request) = try gateInTerminal(altitudeM: Fixture.floorM)
        let off = try Fixture.bob().sign(request, decision: .waveOff)
        let before = gate.rejectionCount
        #expect(gate.handle(.approvalReceived(off), nowUs: t0 + 10) == .reject(.belowAbortFloor))
        #expect(gate.state.kind == .terminal)
        #expect(gate.log.latest?.outcome == .rejected && gate.log.latest?.rejection == .belowAbortFloor)
        #expect(gate.lastRejection == .belowAbortFloor && gate.rejectionCount == before &+ 1)
    }

    @Test func waveOffIsHonouredAfterTheRequestExpiry() throws {
        var (gate, request) = try gateInTerminal(altitudeM: 90)
        let off = try Fixture.alice().sign(request, decision: .waveOff)
        #expect(gate.handle(.approvalReceived(off), nowUs: request.expiresUs + 60_000_000)
            == .leaveTerminal(.waveOff, then: .loiter))
    }

    @Test func unknownAltitudeCountsAsAboveFloor() throws {
        var (gate, request) = try gateInTerminal(altitudeM: .nan)
        let off = try Fixture.alice().sign(request, decision: .waveOff)
        #expect(gate.handle(.approvalReceived(off), nowUs: t0 + 10) == .leaveTerminal(.waveOff, then: .loiter))
    }

    @Test func waveOffWhilePendingCancelsTheRequest() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let off = try Fixture.bob().sign(request, decision: .waveOff)
        #expect(gate.handle(.approvalReceived(off), nowUs: t0 + 1) == .cancelRequest(.waveOff, then: nil))
        #expect(gate.state == .idle)
        let late = try Fixture.alice().sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(late), nowUs: t0 + 2) == .reject(.notPending))
    }

    @Test(arguments: GateFailure.allCases)
    func failureWhilePendingCancelsWithConfiguredAction(failure: GateFailure) throws {
        var gate = try Fixture.gate()
        let config = try Fixture.configuration()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        #expect(gate.handle(.failure(failure), nowUs: t0 + 1)
            == .cancelRequest(.failure(failure), then: config.action(for: failure)))
        #expect(gate.state == .idle)
        // The approval that would have been valid can no longer act, and no new request is issued while it lasts.
        let a = try Fixture.alice().sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(a), nowUs: t0 + 2) == .reject(.notPending))
        let d = gate.handle(.requestTerminal(designation: request.point, loiteringOverDesignation: true), nowUs: t0 + 3)
        #expect(d == .reject(.failureActive))
        #expect(gate.handle(.failureCleared(failure), nowUs: t0 + 4) == .none)
        #expect(gate.log.latest?.failure == failure)
        _ = try gate.loiterAndRequest(request.point, atUs: t0 + 5)
    }

    @Test(arguments: GateFailure.allCases)
    func failureInTerminalAboveFloorLeaves(failure: GateFailure) throws {
        var (gate, request) = try gateInTerminal(altitudeM: 100)
        let action = try Fixture.configuration().action(for: failure)
        #expect(gate.handle(.failure(failure), nowUs: t0 + 10) == .leaveTerminal(.failure(failure), then: action))
        #expect(gate.state == (action == .loiter ? .wavingOff(request) : .idle))
        #expect(gate.log.latest?.failsafe == action)
        #expect(gate.log.latest?.exitReason == .failure(failure))
    }

    @Test(arguments: GateFailure.allCases)
    func failureInTerminalBelowFloorContinues(failure: GateFailure) throws {
        var (gate, _) = try gateInTerminal(altitudeM: 12)
        #expect(gate.handle(.failure(failure), nowUs: t0 + 10) == .continueTerminal(.failure(failure)))
        #expect(gate.state.kind == .terminal)
    }

    @Test func designationChangeDropsPendingAndLeavesTerminalAboveFloor() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        #expect(gate.handle(.designationChanged(request.point), nowUs: t0 + 1) == .none)  // same point
        #expect(gate.handle(.designationChanged(try Fixture.point(500)), nowUs: t0 + 2)
            == .cancelRequest(.designationChanged, then: nil))
        var (g2, r2) = try gateInTerminal(altitudeM: 100)
        #expect(g2.handle(.designationChanged(try Fixture.point(500)), nowUs: t0 + 3)
            == .leaveTerminal(.designationChanged, then: .loiter))
        #expect(g2.state == .wavingOff(r2))
    }

    @Test func requestRefusals() throws {
        var gate = try Fixture.gate()
        let p = try Fixture.point()
        #expect(gate.handle(.requestTerminal(designation: p, loiteringOverDesignation: false), nowUs: t0)
            == .reject(.notLoiteringOverDesignation))
        #expect(gate.log.latest?.rejection == .notLoiteringOverDesignation)
        var (terminalGate, _) = try gateInTerminal(altitudeM: 100)
        #expect(terminalGate.handle(.requestTerminal(designation: p, loiteringOverDesignation: true), nowUs: t0 + 9)
            == .reject(.terminalInProgress))

        var noEntropy = TerminalGate(
            configuration: try Fixture.configuration(), operators: try Fixture.keyRing(), entropy: NoEntropy())
        #expect(noEntropy.handle(.requestTerminal(designation: p, loiteringOverDesignation: true), nowUs: t0)
            == .reject(.noEntropy))
        #expect(noEntropy.state == .idle)
    }

    /// A broken entropy source that repeats itself must not produce a request an old approval would fit.
    @Test func repeatedNonceIsRefused() throws {
        let nonce = ApprovalNonce(low: 0xDEAD, high: 0xBEEF)
        var gate = TerminalGate(
            configuration: try Fixture.configuration(), operators: try Fixture.keyRing(),
            entropy: StuckEntropy(nonce: nonce))
        let p = try Fixture.point()
        let first = gate.handle(.requestTerminal(designation: p, loiteringOverDesignation: true), nowUs: t0)
        guard case .emitRequest = first else { Issue.record("\(first)"); return }
        #expect(gate.handle(.requestTerminal(designation: p, loiteringOverDesignation: true), nowUs: t0 + 1)
            == .reject(.noEntropy))
    }

    @Test func clockRunningBackwardsCannotRevive() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.alice().sign(request, decision: .approve)
        _ = gate.handle(.tick(altitudeAGLM: 150), nowUs: request.expiresUs)
        // The injected clock jumps back before the expiry: the gate keeps its own latest time.
        #expect(gate.handle(.approvalReceived(a), nowUs: t0 + 1) == .reject(.expired))
        #expect(gate.nowUs == request.expiresUs)
    }

    @Test func terminalFinishedReturnsToIdle() throws {
        var (gate, _) = try gateInTerminal(altitudeM: 5)
        #expect(gate.handle(.terminalFinished, nowUs: t0 + 100) == .none)
        #expect(gate.state == .idle)
        #expect(gate.log.latest?.event == .terminalFinished)
        #expect(gate.log.latest?.stateBefore == .terminal)
    }

    @Test func configurationIsValidated() {
        #expect(throws: TerminalGateConfigurationError.abortFloorInvalid(-1)) {
            try TerminalGateConfiguration(vehicleID: Fixture.vehicle, abortFloorAGLM: -1, requestLifetimeUs: 30_000_000)
        }
        #expect(throws: TerminalGateConfigurationError.requestLifetimeOutOfRange(3_600_000_000)) {
            try TerminalGateConfiguration(vehicleID: Fixture.vehicle, abortFloorAGLM: 30, requestLifetimeUs: 3_600_000_000)
        }
        #expect(throws: TerminalGateConfigurationError.abortFloorInvalid(.infinity)) {
            try TerminalGateConfiguration(vehicleID: Fixture.vehicle, abortFloorAGLM: .infinity, requestLifetimeUs: 30_000_000)
        }
    }

    @Test func logRingKeepsTheNewestAndCountsAll() throws {
        var gate = try Fixture.gate()
        let p = try Fixture.point()
        for i in 0..<300 {
            _ = gate.handle(.requestTerminal(designation: p, loiteringOverDesignation: false), nowUs: UInt64(i))
        }
        #expect(gate.log.totalRecorded == 300)
        #expect(gate.log.count == GateEventLog.capacity)
        #expect(gate.log.record(number: 43) == nil)
        #expect(gate.log.record(number: 44)?.timeUs == 44)
        #expect(gate.log.latest?.timeUs == 299)
        #expect(gate.log.retained.first?.timeUs == 44)
    }
}
