@testable import MAVLink

/// A frame as tests keep it after the parser's callback returned.
struct CapturedFrame: Equatable {
    var version: ProtocolVersion
    var sequence: UInt8
    var systemID: UInt8
    var componentID: UInt8
    var messageID: UInt32
    var authentication: FrameAuthentication
    var payload: [UInt8]
    var bytes: [UInt8]

    init(_ frame: ReceivedFrame) {
        version = frame.version
        sequence = frame.sequence
        systemID = frame.systemID
        componentID = frame.componentID
        messageID = frame.messageID
        authentication = frame.authentication
        payload = Array(frame.payload)
        bytes = Array(frame.bytes)
    }

    func decode<M: MAVLinkMessage>(_ type: M.Type) -> M? {
        guard messageID == M.messageID else { return nil }
        return payload.withUnsafeBytes { M(payload: PayloadReader($0)) }
    }
}

func encodeFrame<M: MAVLinkMessage>(
    _ message: M, with encoder: inout FrameEncoder, unixTimeUs: UInt64 = 0
) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0xAA, count: FrameLayout.maxFrameLength)
    let length = try buffer.withUnsafeMutableBytes { raw throws(EncodeError) in
        try encoder.encode(message, into: raw, unixTimeUs: unixTimeUs)
    }
    return Array(buffer[0..<length])
}

func encodeFrameV1<M: MAVLinkMessage>(_ message: M, with encoder: inout FrameEncoder) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0xAA, count: FrameLayout.maxFrameLength)
    let length = try buffer.withUnsafeMutableBytes { raw throws(EncodeError) in
        try encoder.encodeV1(message, into: raw)
    }
    return Array(buffer[0..<length])
}

func parseAll(_ parser: FrameParser, _ bytes: [UInt8], unixTimeUs: UInt64 = 0) -> [CapturedFrame] {
    var frames: [CapturedFrame] = []
    parser.parse(bytes, unixTimeUs: unixTimeUs) { frames.append(CapturedFrame($0)) }
    return frames
}

func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

/// 2026-11-21 00:00:00 UTC in microseconds since 1970, a fixed "now" for signing tests.
let testNowUnixUs: UInt64 = 1_795_219_200_000_000
