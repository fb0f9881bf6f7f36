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

/// SplitMix64: a tiny deterministic generator so garbage tests are reproducible (no flaky seeds).
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Frames of every test pattern, MAVLink 2, consecutive sequence numbers.
func patternFrames(systemID: UInt8 = 1) throws -> [[UInt8]] {
    var encoder = FrameEncoder(systemID: systemID, componentID: 1)
    return try MessageCatalog.testPatterns.map { try encodePattern($0, with: &encoder) }
}

func encodePattern<M: MAVLinkMessage>(_ message: M, with encoder: inout FrameEncoder) throws -> [UInt8] {
    try encodeFrame(message, with: &encoder)
}
