import Testing
@testable import MAVLink

/// GroundLink end to end over a scripted transport: frames in, frames out, simulated time.
@Suite struct GroundLinkTests {
    func makeLink(key: SigningKey? = nil) -> (GroundLink, FakeVehicle, ScriptedTransport) {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = key
        let model = FakeVehicle()
        let transport = ScriptedTransport()
        return (GroundLink(configuration: configuration, transports: [transport], model: model), model, transport)
    }

    let arm = CommandLong(targetSystem: 1, targetComponent: 1, command: .componentArmDisarm, param1: 1)
    let gcsHeartbeat = Heartbeat(type: .gcs, autopilot: MAVAutopilot(rawValue: 8))

    @Test func commandIsPerformedAndAcknowledged() {
        let (link, model, transport) = makeLink()
        var gcs = GroundStation()
        transport.incoming.append(gcs.frame(arm))
        link.poll(nowUs: 1_000)
        let acks = transport.drain().decoded(CommandAck.self)
        #expect(acks.map(\.result) == [.accepted])
        #expect(acks.first?.targetSystem == 255 && acks.first?.targetComponent == 190)
        #expect(model.commands == [.arm(force: false)])
    }

    @Test func withAKeyUnsignedStateChangesAreDeniedAndChangeNothing() {
        let (link, model, transport) = makeLink(key: testKey)
        var unsigned = GroundStation()
        transport.incoming.append(unsigned.frame(arm))
        transport.incoming.append(unsigned.frame(ParamSet(
            targetSystem: 1, targetComponent: 1, paramId: MAVArray(text: "RTL_ALT_M"), paramValue: 50,
            paramType: .real32)))
        transport.incoming.append(unsigned.frame(MissionClearAll(targetSystem: 1, targetComponent: 1)))
        transport.incoming.append(unsigned.frame(TerminalApproval(targetSystem: 1, targetComponent: 1, decision: .approve)))
        model.mission = [LinkMissionItem(kind: .returnToLaunch, position: nil)]
        link.poll(nowUs: 1_000, unixTimeUs: 1_700_000_000_000_000)
        let frames = transport.drain()
        #expect(frames.decoded(CommandAck.self).map(\.result) == [.denied])
        #expect(frames.decoded(ParamValue.self).isEmpty && frames.decoded(MissionAck.self).isEmpty)
        #expect(model.commands.isEmpty && model.approvals.isEmpty)
        #expect(model.parameters[2].value == 120 && model.mission.count == 1)
        #expect(link.counters.unsignedRejected == 4)
        // Read-only requests are still answered unsigned.
        transport.incoming.append(unsigned.frame(ParamRequestRead(targetSystem: 1, targetComponent: 1, paramIndex: 2)))
        link.poll(nowUs: 2_000, unixTimeUs: 1_700_000_000_001_000)
        #expect(transport.drain().decoded(ParamValue.self).map(\.paramValue) == [120])
    }

    @Test func withAKeySignedCommandsActAndRepliesAreSigned() {
        let (link, model, transport) = makeLink(key: testKey)
        var signed = GroundStation(key: testKey)
        let signedArm = signed.frame(arm)
        transport.incoming.append(signedArm)
        link.poll(nowUs: 1_000, unixTimeUs: 1_700_000_000_000_100)
        let frames = transport.drain()
        #expect(frames.decoded(CommandAck.self).map(\.result) == [.accepted])
        #expect(model.commands == [.arm(force: false)])
        // Verify the vehicle's signature with an independent verifier.
        let checker = FrameParser(verifier: SignatureVerifier(key: testKey))
        let ackFrame = frames.first { $0.messageID == CommandAck.messageID }
        #expect(ackFrame.map { parseAll(checker, $0.bytes).first?.authentication } == .verified(linkID: 0))
        // A replay of the same signed frame is refused by the parser (not even counted as unsigned).
        transport.incoming.append(signedArm)
        link.poll(nowUs: 2_000, unixTimeUs: 1_700_000_000_000_200)
        #expect(model.commands.count == 1)
        #expect((link.parserCounters(0)?.signatureFailures ?? 0) == 1)
    }

    @Test func linkLossTimeCountsOnlyGroundStationHeartbeats() {
        let (link, _, transport) = makeLink()
        var gcs = GroundStation()
        #expect(link.timeSinceAnyGCSHeartbeatUs(nowUs: 0) == nil)
        transport.incoming.append(gcs.frame(Heartbeat(type: .fixedWing)))  // another vehicle, not a GCS
        link.poll(nowUs: 1_000_000)
        #expect(link.timeSinceAnyGCSHeartbeatUs(nowUs: 1_000_000) == nil)
        transport.incoming.append(gcs.frame(gcsHeartbeat))
        link.poll(nowUs: 2_000_000)
        #expect(link.timeSinceGCSHeartbeatUs(link: 0, nowUs: 5_500_000) == 3_500_000)
        #expect(link.timeSinceAnyGCSHeartbeatUs(nowUs: 5_500_000) == 3_500_000)
    }

    @Test func withAKeyOnlySignedGroundStationHeartbeatsKeepTheLinkAlive() {
        let (link, _, transport) = makeLink(key: testKey)
        var unsigned = GroundStation()
        transport.incoming.append(unsigned.frame(gcsHeartbeat))
        link.poll(nowUs: 1_000_000, unixTimeUs: 1_700_000_000_000_000)
        #expect(link.timeSinceAnyGCSHeartbeatUs(nowUs: 1_000_000) == nil)
        var signed = GroundStation(key: testKey, systemID: 254)
        transport.incoming.append(signed.frame(gcsHeartbeat))
        link.poll(nowUs: 2_000_000, unixTimeUs: 1_700_000_001_000_000)
        #expect(link.timeSinceAnyGCSHeartbeatUs(nowUs: 2_000_000) == 0)
    }

    @Test func approvalRequestIsRepeatedAtOneHertzUntilExpiryAndStatusFollowsTheGate() {
        let (link, model, transport) = makeLink()
        let request = LinkApprovalRequest(
            nonce: LinkNonce(low: 7, high: 9), vehicleID: 42, latitudeE7: 1, longitudeE7: 2, altitudeMm: 3,
            issuedUs: 0, expiresUs: 3_500_000, sequence: 5)
        model.state.pendingApprovalRequest = request
        model.state.gate = LinkGateStatus(state: .pending, lastRejection: .none, activeFailures: [], sequence: 5,
                                          nonce: request.nonce)
        var requestTimes: [UInt64] = []
        var requestGateTimes: [UInt64] = []
        var statusGateTimes: [UInt64] = []
        var statusChanges: [KestrelTerminalGateState] = []
        var now: UInt64 = 0
        while now < 5_500_000 {
            model.state.gateClockUs = now
            link.poll(nowUs: now)
            let frames = transport.drain()
            if !frames.decoded(TerminalApprovalRequest.self).isEmpty { requestTimes.append(now) }
            requestGateTimes += frames.decoded(TerminalApprovalRequest.self).map(\.gateTimeUs)
            statusChanges += frames.decoded(TerminalStatus.self).map(\.gateState)
            statusGateTimes += frames.decoded(TerminalStatus.self).map(\.gateTimeUs)
            now += 10_000
        }
        #expect(requestTimes == [0, 1_000_000, 2_000_000, 3_000_000])
        // Every copy carries the gate clock at sending (here the model's gate clock equals the poll time).
        #expect(requestGateTimes == requestTimes)
        #expect(statusGateTimes == [0, 0, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000])
        // Periodic TERMINAL_STATUS at 1 Hz plus the immediate one at start.
        #expect(statusChanges.count == 7 && statusChanges.allSatisfy { $0 == .pending })
        let sent = TerminalApprovalRequest(
            nonce: request.nonce.mavArray, vehicleId: 42, lat: 1, lon: 2, alt: 3, issuedUs: 0, expiryUs: 3_500_000,
            sequence: 5, gateTimeUs: 2_000_000)
        #expect(request.message(gateTimeUs: 2_000_000) == sent)
        // A change is reported at once, between periodic copies.
        model.state.pendingApprovalRequest = nil
        model.state.gate.state = .terminal
        link.poll(nowUs: 5_500_000)  // between periodic copies (5 s and 6 s)
        #expect(transport.drain().decoded(TerminalStatus.self).map(\.gateState) == [.terminal])
    }

    @Test func terminalApprovalIsHandedOverWithEverySignedField() {
        let (link, model, transport) = makeLink()
        var gcs = GroundStation()
        let nonce = MAVArray<16, UInt8>(Array(1...16))
        let approval = TerminalApproval(
            targetSystem: 1, targetComponent: 1, nonce: nonce, vehicleId: 0x0102_0304_0506_0708, lat: -337_000_000,
            lon: 1_512_000_000, alt: -12_345, expiryUs: 99_000_000, decision: .waveOff,
            operatorKeyId: MAVArray([0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8]),
            signature: MAVArray(Array(repeating: 0x5A, count: 64)))
        transport.incoming.append(gcs.frame(approval))
        var other = approval
        other.targetSystem = 9
        transport.incoming.append(gcs.frame(other))
        var malformed = approval
        malformed.decision = KestrelTerminalDecision(rawValue: 3)
        transport.incoming.append(gcs.frame(malformed))
        link.poll(nowUs: 1)
        #expect(model.approvals.count == 1)
        let got = model.approvals.first
        #expect(got?.nonce == LinkNonce(low: 0x0807_0605_0403_0201, high: 0x100F_0E0D_0C0B_0A09))
        #expect(got?.vehicleID == 0x0102_0304_0506_0708)
        #expect(got?.latitudeE7 == -337_000_000 && got?.longitudeE7 == 1_512_000_000 && got?.altitudeMm == -12_345)
        #expect(got?.expiresUs == 99_000_000 && got?.decision == .waveOff)
        #expect(got?.operatorKeyID == 0xA8A7_A6A5_A4A3_A2A1)
        #expect(got?.signature == MAVArray(Array(repeating: 0x5A, count: 64)))
        #expect(link.approvals.counters.approvalsMalformed == 1)
        #expect(link.approvals.counters.approvalsForOtherTargets == 1)
    }

    @Test func heartbeatEncodesModeArmingAndType() {
        let (link, model, transport) = makeLink()
        model.state.flightMode = .loiter
        model.state.armed = true
        model.state.systemState = .active
        link.poll(nowUs: 0)
        let heartbeat = transport.drain().decoded(Heartbeat.self).first
        #expect(heartbeat?.type == .fixedWing && heartbeat?.autopilot == .generic)
        #expect(heartbeat?.customMode == 3 && heartbeat?.systemStatus == .active)
        #expect(heartbeat.map { $0.baseMode.contains([.customModeEnabled, .safetyArmed]) } == true)
    }

    /// A mode that lasts less than the 1 Hz heartbeat period (approval pending, say) still reaches the ground.
    @Test func heartbeatGoesOutAtOnceWhenTheModeOrArmingChanges() {
        let (link, model, transport) = makeLink()
        link.poll(nowUs: 0)
        _ = transport.drain()
        link.poll(nowUs: 100_000)
        #expect(transport.drain().decoded(Heartbeat.self).isEmpty)  // no change, not yet due
        model.state.flightMode = .loiter
        link.poll(nowUs: 200_000)
        #expect(transport.drain().decoded(Heartbeat.self).map(\.customMode) == [3])
        model.state.armed = true
        link.poll(nowUs: 300_000)
        let armed = transport.drain().decoded(Heartbeat.self)
        #expect(armed.count == 1 && armed.first.map { $0.baseMode.contains(.safetyArmed) } == true)
        link.poll(nowUs: 400_000)
        #expect(transport.drain().decoded(Heartbeat.self).isEmpty)
    }

    @Test func missionProgressIsReportedOnChange() {
        let (link, model, transport) = makeLink()
        model.mission = Array(repeating: LinkMissionItem(kind: .returnToLaunch, position: nil), count: 3)
        link.poll(nowUs: 0)
        _ = transport.drain()
        model.currentItem = 2
        model.state.lastReachedMissionItem = 1
        link.poll(nowUs: 10_000)
        let frames = transport.drain()
        #expect(frames.decoded(MissionCurrent.self).map(\.seq) == [2])
        #expect(frames.decoded(MissionCurrent.self).first?.total == 3)
        #expect(frames.decoded(MissionItemReached.self).map(\.seq) == [1])
        link.poll(nowUs: 20_000)
        #expect(transport.drain().decoded(MissionItemReached.self).isEmpty)
    }

    @Test func framesWithTheVehiclesOwnSystemIDAreIgnored() {
        let (link, model, transport) = makeLink()
        var echo = GroundStation(systemID: 1)
        transport.incoming.append(echo.frame(arm))
        link.poll(nowUs: 0)
        #expect(model.commands.isEmpty && link.counters.ownSystemIDFrames == 1)
    }
}
