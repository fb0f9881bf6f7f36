import Vehicle
import FlightRuntime
import MAVLink
import Mission
import Testing

/// The gate as TERMINAL_STATUS / TERMINAL_APPROVAL_REQUEST report it, and a TERMINAL_APPROVAL as the gate sees it.
@Suite struct GateLinkMappingTests {
    /// kestrel.xml KESTREL_TERMINAL_REJECTION, written out by name so a renumbering on either side fails here.
    static let rejectionsByName: [(GateRejection, KestrelTerminalRejection)] = [
        (.unsigned, .unsigned), (.unknownKey, .unknownKey), (.badSignature, .badSignature),
        (.otherVehicle, .otherVehicle), (.replayed, .replayed), (.notPending, .notPending), (.otherNonce, .otherNonce),
        (.otherDesignation, .otherDesignation), (.otherExpiry, .otherExpiry), (.expired, .expired),
        (.notLoiteringOverDesignation, .notLoiteringOverDesignation), (.failureActive, .failureActive),
        (.terminalInProgress, .terminalInProgress), (.climbingBack, .climbingBack), (.noEntropy, .noEntropy),
        (.noTimeBase, .noTimeBase), (.belowAbortFloor, .belowAbortFloor),
    ]

    @Test func everyGateRejectionHasItsDialectValue() {
        #expect(Self.rejectionsByName.count == GateRejection.allCases.count)
        for (gate, wire) in Self.rejectionsByName {
            #expect(KestrelTerminalRejection(rawValue: gate.rawValue) == wire, "\(gate)")
        }
    }

    static func gate() throws -> (TerminalGate<SeededNonceSource>, OperatorSigningKey) {
        let alice = OperatorSigningKey.testKey(named: "alice")
        let configuration = try FailsafePolicy().gateConfiguration(vehicleID: VehicleID(42), requestLifetimeUs: 30_000_000)
        let gate = TerminalGate(configuration: configuration, operators: try OperatorKeyRing(keys: [alice.authorisedKey]),
                                entropy: SeededNonceSource(seed: 3))
        return (gate, alice)
    }

    @Test func statusCarriesStateLastRejectionCountAndRequest() throws {
        var (gate, alice) = try Self.gate()
        let idle = LinkGateStatus(GateReport(gate: gate))
        #expect(idle.state == .idle && idle.lastRejection == .none && idle.rejectionCount == 0)
        #expect(idle.sequence == 0 && idle.nonce == .zero)

        let point = try DesignatedPoint(latitudeE7: 473_977_419, longitudeE7: 85_455_938, altitudeMm: 488_000)
        _ = gate.handle(.tick(altitudeAGLM: 120), nowUs: 1_000_000)
        guard case .emitRequest(let request) = gate.handle(
            .requestTerminal(designation: point, loiteringOverDesignation: true), nowUs: 1_000_000)
        else {
            Issue.record("no request")
            return
        }
        let forged = try OperatorSigningKey.testKey(named: "mallory").sign(request, decision: .approve)
        _ = gate.handle(.approvalReceived(forged), nowUs: 2_000_000)
        let pending = LinkGateStatus(GateReport(gate: gate))
        #expect(pending.state == .pending && pending.lastRejection == .unknownKey && pending.rejectionCount == 1)
        #expect(pending.sequence == 1)
        #expect(pending.nonce == LinkNonce(low: request.nonce.low, high: request.nonce.high))

        let wire = LinkApprovalRequest(request)
        #expect(wire.latitudeE7 == 473_977_419 && wire.longitudeE7 == 85_455_938 && wire.altitudeMm == 488_000)
        #expect(wire.issuedUs == 1_000_000 && wire.expiresUs == 31_000_000 && wire.vehicleID == 42)

        // The approval as it would come off the link maps back to one the gate accepts.
        let approval = try alice.sign(request, decision: .approve)
        var message = TerminalApproval(
            targetSystem: 1, targetComponent: 1, nonce: wire.nonce.mavArray, vehicleId: 42, lat: wire.latitudeE7,
            lon: wire.longitudeE7, alt: wire.altitudeMm, expiryUs: wire.expiresUs, decision: .approve,
            operatorKeyId: MAVArray(approval.keyID.bytes), signature: MAVArray(approval.signature.bytes))
        let mapped = try Approval(link: LinkApproval(message: message, senderSystemID: 255))
        #expect(mapped == approval)
        #expect(gate.handle(.approvalReceived(mapped), nowUs: 3_000_000) == .enterTerminal(request))
        let terminal = LinkGateStatus(GateReport(gate: gate))
        #expect(terminal.state == .terminal && terminal.lastRejection == .unknownKey && terminal.rejectionCount == 1)

        // A latitude beyond 90° cannot become a designated point: a typed error, no crash.
        message.lat = 900_000_001
        #expect(throws: DesignationError.self) { try Approval(link: LinkApproval(message: message, senderSystemID: 255)) }
    }
}
