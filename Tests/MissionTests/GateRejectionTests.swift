import Crypto
import Mission
import Testing

/// Each way an approval can be wrong is refused with its own reason, leaves the gate pending and is logged.
@Suite struct GateRejectionTests {
    let t0: UInt64 = 1_000_000_000

    private func expectRejected(
        _ gate: inout TerminalGate<SeededNonceSource>, _ approval: Approval, at t: UInt64, _ reason: GateRejection,
        stateAfter: GateStateKind = .pending, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let before = gate.log.totalRecorded
        let decision = gate.handle(.approvalReceived(approval), nowUs: t)
        #expect(decision == .reject(reason), sourceLocation: sourceLocation)
        #expect(gate.state.kind == stateAfter, sourceLocation: sourceLocation)
        #expect(gate.log.totalRecorded == before + 1, sourceLocation: sourceLocation)
        let r = gate.log.latest
        #expect(r?.outcome == .rejected, sourceLocation: sourceLocation)
        #expect(r?.rejection == reason, sourceLocation: sourceLocation)
        #expect(r?.keyID == approval.keyID, sourceLocation: sourceLocation)
        #expect(r?.timeUs == t, sourceLocation: sourceLocation)
    }

    @Test func unsignedAllZeroSignature() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = Approval(answering: request, decision: .approve, keyID: try Fixture.alice().keyID, signature: .zero)
        expectRejected(&gate, a, at: t0 + 1, .unsigned)
    }

    @Test func badSignatureOneBitFlipped() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var a = try Fixture.alice().sign(request, decision: .approve)
        a.signature.storage[17] ^= 0x04
        expectRejected(&gate, a, at: t0 + 1, .badSignature)
    }

    @Test func signatureOfAnotherKeyUnderAnAuthorisedKeyID() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var a = try Fixture.mallory().sign(request, decision: .approve)
        a.keyID = try Fixture.bob().keyID
        expectRejected(&gate, a, at: t0 + 1, .badSignature)
    }

    @Test func alteredDecisionBreaksSignature() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var a = try Fixture.alice().sign(request, decision: .waveOff)
        a.decision = .approve
        expectRejected(&gate, a, at: t0 + 1, .badSignature)
    }

    @Test func unknownKey() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.mallory().sign(request, decision: .approve)
        expectRejected(&gate, a, at: t0 + 1, .unknownKey)
    }

    @Test func staleApprovalForPreviousRequest() throws {
        var gate = try Fixture.gate()
        let first = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let stale = try Fixture.alice().sign(first, decision: .approve)
        // The operator asks again: the new request supersedes the first one.
        let second = try gate.loiterAndRequest(try Fixture.point(), atUs: t0 + 5_000_000)
        #expect(second.nonce != first.nonce)
        #expect(second.sequence == first.sequence + 1)
        expectRejected(&gate, stale, at: t0 + 6_000_000, .otherNonce)
        #expect(gate.state == .pending(second))
    }

    @Test func otherDesignation() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var claimed = request
        claimed.point = try Fixture.point(1)  // 1e-7° ≈ 11 mm away: still another point
        let a = try Fixture.alice().sign(claimed, decision: .approve)
        expectRejected(&gate, a, at: t0 + 1, .otherDesignation)
    }

    @Test func otherVehicle() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var claimed = request
        claimed.vehicleID = Fixture.otherVehicle
        let a = try Fixture.alice().sign(claimed, decision: .approve)
        expectRejected(&gate, a, at: t0 + 1, .otherVehicle)
    }

    @Test func otherExpiry() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var claimed = request
        claimed.expiresUs += 60_000_000
        let a = try Fixture.alice().sign(claimed, decision: .approve)
        expectRejected(&gate, a, at: t0 + 1, .otherExpiry)
    }

    @Test func expiredBeforeTheGateNoticed() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.alice().sign(request, decision: .approve)
        // Arrives exactly at expiry, before any tick expired the request: refused and the request is dropped.
        expectRejected(&gate, a, at: request.expiresUs, .expired, stateAfter: .idle)
    }

    @Test func expiredAfterTheRequestTimedOut() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.alice().sign(request, decision: .approve)
        let d = gate.handle(.tick(altitudeAGLM: 150), nowUs: request.expiresUs + 10)
        #expect(d == .cancelRequest(.requestExpired, then: nil))
        expectRejected(&gate, a, at: request.expiresUs + 20, .expired, stateAfter: .idle)
    }

    @Test func lastMicrosecondBeforeExpiryIsAccepted() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.alice().sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(a), nowUs: request.expiresUs - 1) == .enterTerminal(request))
    }

    @Test func replayedAcrossRequests() throws {
        var gate = try Fixture.gate()
        let first = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.alice().sign(first, decision: .approve)
        #expect(gate.handle(.approvalReceived(a), nowUs: t0 + 1_000_000) == .enterTerminal(first))
        let off = try Fixture.bob().sign(first, decision: .waveOff)
        #expect(gate.handle(.approvalReceived(off), nowUs: t0 + 2_000_000) == .leaveTerminal(.waveOff, then: .loiter))
        #expect(gate.handle(.loiterEstablished, nowUs: t0 + 20_000_000) == .none)
        _ = try gate.loiterAndRequest(try Fixture.point(), atUs: t0 + 21_000_000)
        expectRejected(&gate, a, at: t0 + 22_000_000, .replayed)
    }

    @Test func replayedWhileInTerminal() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        let a = try Fixture.alice().sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(a), nowUs: t0 + 1) == .enterTerminal(request))
        expectRejected(&gate, a, at: t0 + 2, .replayed, stateAfter: .terminal)
    }

    @Test func approvalWhileNotPending() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        #expect(gate.handle(.loiterLost, nowUs: t0 + 1) == .cancelRequest(.loiterLost, then: nil))
        let a = try Fixture.alice().sign(request, decision: .approve)
        expectRejected(&gate, a, at: t0 + 2, .notPending, stateAfter: .idle)
    }

    @Test func approvalBeforeAnyRequest() throws {
        var gate = try Fixture.gate()
        let invented = ApprovalRequest(
            nonce: ApprovalNonce(low: 1, high: 2), vehicleID: Fixture.vehicle, point: try Fixture.point(),
            issuedUs: 0, expiresUs: t0 * 2, sequence: 1)
        let a = try Fixture.alice().sign(invented, decision: .approve)
        expectRejected(&gate, a, at: t0, .notPending, stateAfter: .idle)
    }

    /// Authenticity is checked before anything else: a forged approval for another vehicle reports the forgery.
    @Test func authenticityBeforeContent() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        var claimed = request
        claimed.vehicleID = Fixture.otherVehicle
        var a = try Fixture.alice().sign(claimed, decision: .approve)
        a.signature.storage[0] ^= 1
        expectRejected(&gate, a, at: t0 + 1, .badSignature)
    }

    @Test func waveOffRejections() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        #expect(gate.handle(.approvalReceived(try Fixture.alice().sign(request, decision: .approve)), nowUs: t0 + 1)
            == .enterTerminal(request))
        let forged = try Fixture.mallory().sign(request, decision: .waveOff)
        expectRejected(&gate, forged, at: t0 + 2, .unknownKey, stateAfter: .terminal)
        let unsigned = Approval(answering: request, decision: .waveOff, keyID: try Fixture.bob().keyID, signature: .zero)
        expectRejected(&gate, unsigned, at: t0 + 3, .unsigned, stateAfter: .terminal)
        var other = request
        other.nonce = ApprovalNonce(low: 9, high: 9)
        expectRejected(&gate, try Fixture.bob().sign(other, decision: .waveOff), at: t0 + 4, .otherNonce,
            stateAfter: .terminal)
    }
}
