import Testing
@testable import MAVLink

@Suite struct SignedCommandPolicyTests {
    let key = SigningKey(bytes: Array(0..<32))!
    let now = testNowUnixUs

    private func receive<M: MAVLinkMessage>(_ message: M, signed: Bool) throws -> CapturedFrame? {
        var encoder = FrameEncoder(
            systemID: 255, componentID: 190, signing: signed ? OutgoingSigning(key: key, linkID: 0) : nil)
        let frame = try encodeFrame(message, with: &encoder, unixTimeUs: now)
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        var admitted: Bool?
        var captured: CapturedFrame?
        parser.parse(frame, unixTimeUs: now) { received in
            admitted = SignedCommandPolicy.admits(received, signingKeyConfigured: true)
            captured = CapturedFrame(received)
            #expect(SignedCommandPolicy.admits(received, signingKeyConfigured: false))
        }
        return admitted == true ? captured : nil
    }

    @Test func stateChangingMessagesNeedAValidSignature() throws {
        let stateChanging: [any MAVLinkMessage] = [
            CommandLong(command: .componentArmDisarm), CommandInt(command: .doReposition),
            SetMode(targetSystem: 1), ParamSet(), MissionItemInt(), MissionCount(), MissionClearAll(),
            MissionSetCurrent(), SetupSigning(), TerminalApproval(), MissionAck(), ParamRequestList(),
        ]
        for message in stateChanging {
            #expect(try receive(message, signed: false) == nil, "\(type(of: message)) unsigned")
            #expect(try receive(message, signed: true) != nil, "\(type(of: message)) signed")
        }
    }

    @Test func readOnlyRequestsPassUnsigned() throws {
        let readOnly: [any MAVLinkMessage] = [
            Heartbeat(), Ping(), ParamRequestRead(), MissionRequestList(), MissionRequestInt(),
            Timesync(), CommandLong(command: .requestMessage),
            CommandInt(command: .requestAutopilotCapabilities),
        ]
        for message in readOnly {
            #expect(try receive(message, signed: false) != nil, "\(type(of: message))")
        }
    }
}
