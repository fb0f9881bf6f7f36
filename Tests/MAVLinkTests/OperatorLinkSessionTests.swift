import Testing

@testable import MAVLink

/// The operator end (`OperatorLinkSession`) against a real `GroundLink` with a scripted vehicle, frames passed by
/// hand between the two transports.
@Suite struct OperatorLinkSessionTests {
    let unixUs: UInt64 = 1_750_000_000_000_000

    final class Wire {
        let vehicleSide = ScriptedTransport()
        let operatorSide = ScriptedTransport()
        /// Moves what each side sent into the other's input.
        func exchange() {
            operatorSide.incoming += vehicleSide.outgoing
            vehicleSide.outgoing.removeAll()
            vehicleSide.incoming += operatorSide.outgoing
            operatorSide.outgoing.removeAll()
        }
    }

    func makePair(vehicleKey: SigningKey?, operatorKey: SigningKey?)
        -> (GroundLink, FakeVehicle, OperatorLinkSession, Wire)
    {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = vehicleKey
        let model = FakeVehicle()
        let wire = Wire()
        let link = GroundLink(configuration: configuration, transports: [wire.vehicleSide], model: model)
        var sessionConfiguration = OperatorLinkSession.Configuration()
        sessionConfiguration.signingKey = operatorKey
        let session = OperatorLinkSession(configuration: sessionConfiguration, transport: wire.operatorSide)
        return (link, model, session, wire)
    }

    static let request = LinkApprovalRequest(
        nonce: LinkNonce(low: 0x1111, high: 0x2222), vehicleID: 77, latitudeE7: 473_977_420, longitudeE7: 85_455_940,
        altitudeMm: 488_000, issuedUs: 5_000_000, expiresUs: 65_000_000, sequence: 3)

    /// Runs both ends for `steps` polls 10 ms apart and returns what the operator end reported.
    func run(_ link: GroundLink, _ session: OperatorLinkSession, _ wire: Wire, from startUs: UInt64, steps: Int,
             gate model: FakeVehicle) -> [OperatorLinkSession.Event]
    {
        var events: [OperatorLinkSession.Event] = []
        for step in 0..<steps {
            let now = startUs + UInt64(step) * 10_000
            model.state.gateClockUs = now
            session.poll(nowUs: now, unixTimeUs: unixUs + now) { events.append($0) }
            wire.exchange()
            link.poll(nowUs: now, unixTimeUs: unixUs + now)
            wire.exchange()
        }
        return events
    }

    @Test func requestAndStatusArriveWithTheGateClockAndTheApprovalReachesTheModel() throws {
        let (link, model, session, wire) = makePair(vehicleKey: nil, operatorKey: nil)
        model.state.pendingApprovalRequest = Self.request
        model.state.gate = LinkGateStatus(state: .pending, lastRejection: .otherNonce, activeFailures: [], sequence: 3,
                                          nonce: Self.request.nonce)
        model.state.gate.rejectionCount = 4
        let events = run(link, session, wire, from: 10_000_000, steps: 150, gate: model)

        let requests = events.compactMap { e -> (TerminalApprovalRequest, UInt8)? in
            if case let .request(m, s, _) = e { return (m, s) } else { return nil }
        }
        // Sent at once and then at 1 Hz: 10.0 s and 11.0 s of gate time within 1.5 s.
        #expect(requests.map(\.0.gateTimeUs) == [10_000_000, 11_000_000])
        let first = try #require(requests.first)
        #expect(first.1 == 1)
        #expect(LinkNonce(first.0.nonce) == Self.request.nonce)
        #expect(first.0.vehicleId == 77 && first.0.expiryUs == 65_000_000 && first.0.issuedUs == 5_000_000)
        let statuses = events.compactMap { e -> TerminalStatus? in if case let .status(m, _, _) = e { m } else { nil } }
        #expect(!statuses.isEmpty)
        #expect(statuses.allSatisfy { $0.lastRejection == .otherNonce && $0.rejectionCount == 4 })
        #expect(statuses.allSatisfy { $0.gateTimeUs >= 10_000_000 && $0.gateTimeUs < 11_500_000 })
        // The vehicle heard the operator's heartbeats as a ground station.
        #expect(link.timeSinceAnyGCSHeartbeatUs(nowUs: 11_500_000) != nil)

        let approval = TerminalApproval(
            targetSystem: 1, targetComponent: 1, nonce: first.0.nonce, vehicleId: 77, lat: first.0.lat,
            lon: first.0.lon, alt: first.0.alt, expiryUs: first.0.expiryUs, decision: .approve,
            operatorKeyId: MAVArray([1, 2, 3, 4, 5, 6, 7, 8]), signature: MAVArray(repeating: 9))
        #expect(session.send(approval, nowUs: 11_500_000, unixTimeUs: unixUs + 11_500_000))
        wire.exchange()
        link.poll(nowUs: 11_510_000)
        let received = try #require(model.approvals.first)
        #expect(received.nonce == Self.request.nonce && received.expiresUs == 65_000_000)
        #expect(received.operatorKeyID == 0x0807_0605_0403_0201)
        #expect(received.senderSystemID == 255)
    }

    @Test func gateStateCausedByAnApprovalIsReportedInTheSamePoll() throws {
        // The SITL gate can pass through "waving off" within one vehicle tick; the status must still go out.
        let (link, model, session, wire) = makePair(vehicleKey: nil, operatorKey: nil)
        model.state.gate = LinkGateStatus(state: .terminal, lastRejection: .none, activeFailures: [], sequence: 3,
                                          nonce: Self.request.nonce)
        _ = run(link, session, wire, from: 1_000_000, steps: 5, gate: model)
        model.onApproval = { $0.state.gate.state = .wavingOff }
        let waveOff = TerminalApproval(targetSystem: 1, targetComponent: 1, nonce: Self.request.nonce.mavArray,
                                       vehicleId: 77, decision: .waveOff)
        session.send(waveOff, nowUs: 1_100_000, unixTimeUs: unixUs)
        wire.exchange()
        link.poll(nowUs: 1_100_000)
        model.state.gate.state = .idle  // the next vehicle tick: loiter re-established
        wire.exchange()
        var states: [KestrelTerminalGateState] = []
        session.poll(nowUs: 1_110_000, unixTimeUs: unixUs) { if case let .status(m, _, _) = $0 { states.append(m.gateState) } }
        #expect(states == [.wavingOff])
    }

    @Test func signedLinkBothWaysAndAWrongKeyGetsNothingThrough() throws {
        // Same key: the approval is admitted by the vehicle's signing policy and the request is verified here.
        let (link, model, session, wire) = makePair(vehicleKey: testKey, operatorKey: testKey)
        model.state.pendingApprovalRequest = Self.request
        let events = run(link, session, wire, from: 1_000_000, steps: 20, gate: model)
        #expect(events.contains { if case .request = $0 { true } else { false } })
        #expect(session.counters.unverifiedDropped == 0)
        let approval = TerminalApproval(targetSystem: 1, targetComponent: 1, nonce: Self.request.nonce.mavArray,
                                        vehicleId: 77, decision: .approve)
        session.send(approval, nowUs: 1_300_000, unixTimeUs: unixUs + 1_300_000)
        wire.exchange()
        link.poll(nowUs: 1_310_000, unixTimeUs: unixUs + 1_310_000)
        #expect(model.approvals.count == 1)

        // Another key on the operator side: it drops every vehicle frame, the vehicle drops its approval.
        let wrongKey = try #require(SigningKey(bytes: Array(repeating: UInt8(7), count: 32)))
        let (link2, model2, session2, wire2) = makePair(vehicleKey: testKey, operatorKey: wrongKey)
        model2.state.pendingApprovalRequest = Self.request
        let events2 = run(link2, session2, wire2, from: 1_000_000, steps: 20, gate: model2)
        #expect(events2.isEmpty)
        #expect(session2.parserCounters.signatureBad > 0)
        session2.send(approval, nowUs: 1_300_000, unixTimeUs: unixUs + 1_300_000)
        wire2.exchange()
        link2.poll(nowUs: 1_310_000, unixTimeUs: unixUs + 1_310_000)
        #expect(model2.approvals.isEmpty)
        #expect((link2.parserCounters(0)?.signatureBad ?? 0) >= 1)
    }

    @Test func unsignedVehicleFramesAreRefusedWhenTheOperatorHasAKey() {
        let (link, model, session, wire) = makePair(vehicleKey: nil, operatorKey: testKey)
        model.state.pendingApprovalRequest = Self.request
        let events = run(link, session, wire, from: 1_000_000, steps: 20, gate: model)
        #expect(events.isEmpty, "a spoofed (unsigned) request must never reach the operator")
        #expect(session.counters.unverifiedDropped > 0)
    }
}
