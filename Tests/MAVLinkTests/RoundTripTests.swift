import Testing
@testable import MAVLink

@Suite struct RoundTripTests {
    @Test func catalogCoversTheWhitelist() {
        #expect(MessageCatalog.messageTypes.count == 45)
        #expect(MessageCatalog.testPatterns.count == 45)
        #expect(MessageCatalog.messageIDs == MessageCatalog.messageTypes.map { $0.messageID })
        for type in MessageCatalog.messageTypes {
            let descriptor = MessageCatalog.descriptor(for: type.messageID)
            #expect(descriptor?.crcExtra == type.crcExtra)
            #expect(descriptor?.maxPayloadLength == type.maxPayloadLength)
        }
        #expect(MessageCatalog.descriptor(for: 53203) == nil)
    }

    @Test(arguments: MessageCatalog.testPatterns.indices)
    func everyMessageRoundTripsThroughAFrame(index: Int) throws {
        try roundTrip(MessageCatalog.testPatterns[index])
    }

    private func roundTrip<M: MAVLinkMessage>(_ message: M) throws {
        var encoder = FrameEncoder(systemID: 17, componentID: 191)
        encoder.sequence = 200
        let bytes = try encodeFrame(message, with: &encoder)
        #expect(bytes.count <= FrameEncoder.capacity(for: M.self))
        let frames = parseAll(FrameParser(), bytes)
        #expect(frames.count == 1)
        let frame = try #require(frames.first)
        #expect(frame.messageID == M.messageID)
        #expect(frame.systemID == 17 && frame.componentID == 191 && frame.sequence == 200)
        #expect(frame.version == .v2 && frame.authentication == .unsigned)
        #expect(frame.decode(M.self) == message, "\(M.messageName)")
        #expect(encoder.sequence == 201)
    }

    @Test(arguments: MessageCatalog.testPatterns.indices)
    func mavlink1RoundTripKeepsTheBaseFields(index: Int) throws {
        try roundTripV1(MessageCatalog.testPatterns[index])
    }

    private func roundTripV1<M: MAVLinkMessage>(_ message: M) throws {
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        guard M.messageID <= 255 else {
            #expect(throws: EncodeError.messageIDNeedsV2(message: "\(M.messageName)", messageID: M.messageID)) {
                try encodeFrameV1(message, with: &encoder)
            }
            return
        }
        let bytes = try encodeFrameV1(message, with: &encoder)
        #expect(bytes.count == FrameLayout.headerLengthV1 + M.minPayloadLength + 2)
        let frame = try #require(parseAll(FrameParser(), bytes).first)
        #expect(frame.version == .v1)
        let decoded = try #require(frame.decode(M.self))
        // Extension fields are not carried by MAVLink 1: re-encoding both and comparing the base part must agree.
        #expect(basePayload(decoded) == basePayload(message))
    }

    private func basePayload<M: MAVLinkMessage>(_ message: M) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: M.maxPayloadLength)
        bytes.withUnsafeMutableBytes { raw in
            var writer = PayloadWriter(raw)
            message.encode(into: &writer)
        }
        return Array(bytes[0..<M.minPayloadLength])
    }

    @Test func enumValuesUnknownToThisBuildSurviveARoundTrip() throws {
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        let message = CommandAck(command: MAVCmd(rawValue: 65_000), result: MAVResult(rawValue: 250))
        let frame = try #require(parseAll(FrameParser(), try encodeFrame(message, with: &encoder)).first)
        #expect(frame.decode(CommandAck.self) == message)
    }

    @Test func textFieldsRoundTrip() throws {
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        let full = String(repeating: "x", count: 50)
        let message = Statustext(severity: .warning, text: MAVArray(text: full + "cut"))
        let frame = try #require(parseAll(FrameParser(), try encodeFrame(message, with: &encoder)).first)
        // 50 bytes fill char[50] without a terminator, as MAVLink allows; the rest is cut.
        #expect(frame.decode(Statustext.self)?.text.text == full)
        #expect(MAVArray<16, UInt8>(text: "RLL_P").text == "RLL_P")
    }

    @Test func encodeIntoTooSmallBufferIsATypedError() {
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        var buffer = [UInt8](repeating: 0, count: 20)
        #expect(throws: EncodeError.bufferTooSmall(message: "HEARTBEAT", needed: 21, available: 20)) {
            _ = try buffer.withUnsafeMutableBytes { raw throws(EncodeError) in
                try encoder.encode(Heartbeat(), into: raw)
            }
        }
        #expect(encoder.sequence == 0)
    }
}
