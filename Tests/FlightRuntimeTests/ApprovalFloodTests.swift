@testable import FlightRuntime
import MAVLink
import Mission
import Testing
import Vehicle

/// Finding 5 of issue 16: a flood of bogus approvals on an unsigned link cost the real-time thread an Ed25519 check
/// each and queued ahead of the operator's wave-off. Telemetry side = the real `FlightVehicleLink`; real-time side =
/// a stand-in that takes requests as the exchange does (`takeOperatorRequests`, one step per reply wait) and hands
/// approvals to a real `TerminalGate`.
@Suite struct ApprovalFloodTests {
    static let vehicle = VehicleID(0x4B53_5452_0000_0017)

    static func operatorKey() throws -> OperatorSigningKey { OperatorSigningKey.testKey(named: "alice") }

    /// The stand-in real-time side: a gate with a pending request, and what reached it.
    final class RealtimeSide {
        var gate: TerminalGate<SeededNonceSource>
        let request: ApprovalRequest
        let channels: RuntimeChannels
        /// Approvals with a key of the ring and a signature: each one an Ed25519 check by the gate.
        var gateSignatureChecks = 0
        var waveOffHandled = false
        var steps = 0

        init(channels: RuntimeChannels, operators: OperatorKeyRing) throws {
            self.channels = channels
            let configuration = try TerminalGateConfiguration(
                vehicleID: ApprovalFloodTests.vehicle, abortFloorAGLM: 30, requestLifetimeUs: 60_000_000,
                linkLossAction: .returnToLaunch, estimatorFailureAction: .loiter, gpsFailureAction: .loiter,
                geofenceBreachAction: .returnToLaunch, lowBatteryAction: .returnToLaunch)
            gate = TerminalGate(configuration: configuration, operators: operators, entropy: SeededNonceSource(seed: 3))
            _ = gate.handle(.tick(altitudeAGLM: 150), nowUs: 1_000_000)
            let point = try DesignatedPoint(latitudeE7: 473_977_419, longitudeE7: 85_455_938, altitudeMm: 488_000)
            guard case .emitRequest(let r) = gate.handle(
                .requestTerminal(designation: point, loiteringOverDesignation: true), nowUs: 1_000_000)
            else { throw FloodError.noRequest }
            request = r
        }

        /// One real-time tick: at most two requests, as the exchange takes them.
        func step() {
            steps += 1
            let taken = channels.takeOperatorRequests()
            for request in [taken.0, taken.1].compactMap({ $0 }) {
                guard case .approval(let link) = request.kind, let approval = try? Approval(link: link) else { continue }
                if !approval.signature.isZero, gate.operators.key(for: approval.keyID) != nil { gateSignatureChecks += 1 }
                let decision = gate.handle(.approvalReceived(approval), nowUs: 2_000_000)
                if approval.decision == .waveOff, case .reject = decision {} else if approval.decision == .waveOff {
                    waveOffHandled = true
                }
                channels.replies.push(OperatorReply(sequence: request.sequence, result: .accepted))
            }
        }
    }

    enum FloodError: Error { case noRequest }

    static func wire(_ approval: Approval) -> LinkApproval {
        LinkApproval(message: TerminalApproval(
            targetSystem: 1, targetComponent: 1, nonce: LinkNonce(approval.nonce).mavArray,
            vehicleId: approval.vehicleID.rawValue, lat: approval.point.latitudeE7, lon: approval.point.longitudeE7,
            alt: approval.point.altitudeMm, expiryUs: approval.expiresUs,
            decision: approval.decision == .approve ? .approve : .waveOff,
            operatorKeyId: MAVArray(approval.keyID.bytes), signature: MAVArray(approval.signature.bytes)),
            senderSystemID: 255)
    }

    /// A bogus approval naming the operator's key, with a signature that is not one (differs per `index`).
    static func bogus(_ request: ApprovalRequest, keyID: OperatorKeyID, index: Int, decision: ApprovalDecision)
        -> LinkApproval
    {
        let garbage = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ index &+ 1) }
        return wire(Approval(answering: request, decision: decision, keyID: keyID,
                             signature: Ed25519Signature(bytes: garbage)!))
    }

    func setUp() throws -> (FlightVehicleLink, RealtimeSide, OperatorSigningKey, () -> UInt64) {
        let channels = RuntimeChannels()
        let alice = try Self.operatorKey()
        let ring = try OperatorKeyRing(keys: [alice.authorisedKey])
        let rt = try RealtimeSide(channels: channels, operators: ring)
        let setup = MissionSetup(policy: FailsafePolicy(), vehicleID: Self.vehicle, operators: ring,
                                 nonceSource: .seeded(SeededNonceSource(seed: 1)), fence: nil)
        var waitedUs: UInt64 = 0
        let model = FlightVehicleLink(channels: channels, policy: FailsafePolicy(), baseRateHz: 400,
                                      missionSetup: setup, replyTimeoutUs: 50_000,
                                      sleepUs: { waitedUs += $0; rt.step() })
        return (model, rt, alice, { waitedUs })
    }

    /// 1000 bogus approvals arrive in one poll, then the operator's valid wave-off. Before the fix every bogus one
    /// went to the gate (1000 Ed25519 checks on the real-time side) and the wave-off waited behind ~1 s of replies.
    @Test func aValidWaveOffAfterAFloodOfBogusApprovalsIsHandledAtOnce() throws {
        let (model, rt, alice, waited) = try setUp()
        let nowUs: UInt64 = 5_000_000
        for index in 0..<1000 {
            model.receive(Self.bogus(rt.request, keyID: alice.keyID, index: index, decision: .approve), nowUs: nowUs)
        }
        let floodWaitUs = waited()
        model.receive(Self.wire(try alice.sign(rt.request, decision: .waveOff)), nowUs: nowUs)
        #expect(rt.waveOffHandled, "the valid wave-off reached the gate and was honoured")
        #expect(floodWaitUs < 50_000, "the flood held the link up for \(floodWaitUs) µs")
        #expect(rt.gateSignatureChecks <= 1 + 4, "\(rt.gateSignatureChecks) Ed25519 checks on the real-time side")
    }

    /// A sustained flood of bogus approvals and wave-offs, 100 of each per 20 ms poll for 5 s: the Ed25519 checks
    /// (telemetry side and gate) stay within the buckets' budget; none of the bogus ones reaches the gate.
    @Test func signatureChecksPerSecondAreBounded() throws {
        let (model, rt, alice, _) = try setUp()
        var index = 0
        for poll in 0..<250 {
            let nowUs = 5_000_000 + UInt64(poll) * 20_000
            for _ in 0..<100 {
                index += 1
                model.receive(Self.bogus(rt.request, keyID: alice.keyID, index: index, decision: .approve), nowUs: nowUs)
                model.receive(Self.bogus(rt.request, keyID: alice.keyID, index: index, decision: .waveOff), nowUs: nowUs)
            }
        }
        #expect(rt.gateSignatureChecks == 0)
        // Bursts (4 + 8) plus 5 s at 4/s and 8/s.
        #expect(model.approvalScreen.signatureChecks <= 12 + 5 * 12)
        #expect(model.approvalScreen.signatureChecks >= 5 * 12 - 12, "the budget is spent, not starved")
        // The operator hears about it, at most once a second.
        var texts = 0
        while let t = model.nextStatusText() {
            texts += 1
            #expect(t.text == MAVArray(text: "approval dropped: too many approvals, rate-limited")
                || t.text == MAVArray(text: "approval dropped: bad signature")
                || t.text == MAVArray(text: "wave-off dropped: bad signature")
                || t.text == MAVArray(text: "wave-off dropped: too many approvals, rate-limited"))
        }
        #expect(texts >= 4 && texts <= 6)
    }

    /// The wave-off has its own ring and is taken first: a full request ring never holds it back.
    @Test func aWaveOffIsTakenBeforeQueuedRequests() throws {
        let channels = RuntimeChannels()
        for sequence in 0..<16 {
            #expect(channels.requests.push(OperatorRequest(sequence: UInt32(sequence), kind: .command(.returnToLaunch))))
        }
        #expect(!channels.requests.push(OperatorRequest(sequence: 99, kind: .command(.returnToLaunch))))
        var waveOff = TerminalApproval(targetSystem: 1, targetComponent: 1, decision: .waveOff)
        waveOff.signature = MAVArray(repeating: 1)
        #expect(channels.waveOffs.push(OperatorRequest(
            sequence: 100, kind: .approval(LinkApproval(message: waveOff, senderSystemID: 255)))))
        let taken = channels.takeOperatorRequests()
        #expect(taken.0?.sequence == 100 && taken.1?.sequence == 0)
    }
}
