import Mission
import Testing

/// `lastRejection` is what TERMINAL_STATUS.last_rejection reports: the reason of the latest refusal, kept across
/// later accepted events until the next refusal.
@Suite struct GateLastRejectionTests {
    let t0: UInt64 = 2_000_000_000

    @Test func noneUntilSomethingIsRefused() throws {
        var gate = try Fixture.gate()
        #expect(gate.lastRejection == nil && gate.rejectionCount == 0)
        _ = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        #expect(gate.lastRejection == nil)
    }

    @Test func followsEachRefusalAndSurvivesAnAcceptedApproval() throws {
        var gate = try Fixture.gate()
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)

        let forged = try Fixture.mallory().sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(forged), nowUs: t0 + 1) == .reject(.unknownKey))
        #expect(gate.lastRejection == .unknownKey && gate.rejectionCount == 1)
        // The same refusal again: the reason repeats, the count tells it apart.
        #expect(gate.handle(.approvalReceived(forged), nowUs: t0 + 1) == .reject(.unknownKey))
        #expect(gate.lastRejection == .unknownKey && gate.rejectionCount == 2)

        var otherNonce = request
        otherNonce.nonce = ApprovalNonce(low: request.nonce.low ^ 1, high: request.nonce.high)
        let stale = try Fixture.alice().sign(otherNonce, decision: .approve)
        #expect(gate.handle(.approvalReceived(stale), nowUs: t0 + 2) == .reject(.otherNonce))
        #expect(gate.lastRejection == .otherNonce)

        let good = try Fixture.alice().sign(request, decision: .approve)
        #expect(gate.handle(.approvalReceived(good), nowUs: t0 + 3) == .enterTerminal(request))
        #expect(gate.lastRejection == .otherNonce, "an accepted approval does not clear the last reason")
        #expect(gate.rejectionCount == 3)

        // A second request during the terminal phase is refused, and that becomes the reason.
        let d = gate.handle(.requestTerminal(designation: try Fixture.point(), loiteringOverDesignation: true),
                            nowUs: t0 + 4)
        #expect(d == .reject(.terminalInProgress))
        #expect(gate.lastRejection == .terminalInProgress && gate.rejectionCount == 4)
    }
}
