// libFuzzer entry point. Each input drives, from its first bytes:
//   * the streaming parser over the rest of the input, fed in chunks whose sizes come from the input, with or
//     without a signature verifier (fixed key, receive time from the input);
//   * every accepted frame re-signed with the fixed key (link id and timestamp from the frame) and fed to a second,
//     verifying parser, so the replay table and timestamp rules see valid signatures too;
//   * the decode/encode invariant: encoding a decoded payload gives back the payload, zero-extended or cut to the
//     message's length (a trap here is a codec bug).
import CFuzzerDriver
import MAVLink

enum FuzzState {
    static let key = SigningKey(bytes: Array(repeating: 0x5A, count: 32))!
}

/// SwiftPM links executables with `main` aliased to this symbol; hand control to libFuzzer's driver.
@_cdecl("fuzz_mavlink_main")
public func fuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzMAVLink)
}

let fuzzMAVLink: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    guard let data, size >= 4 else { return 0 }
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let mode = input[0]
    let chunk = Int(input[1] % 64) + 1
    let receiveTimeUs = UInt64(input[2]) << 40 | UInt64(input[3]) << 32 | 1_400_000_000_000_000
    let stream = UnsafeRawBufferPointer(rebasing: input[4...])

    let parser = FrameParser(verifier: mode & 1 == 0 ? nil : SignatureVerifier(key: FuzzState.key))
    let verifying = FrameParser(verifier: SignatureVerifier(key: FuzzState.key))
    var resigned = [UInt8](repeating: 0, count: FrameLayout.maxFrameLength)
    var offset = 0
    while offset < stream.count {
        let end = min(offset + chunk, stream.count)
        parser.parse(UnsafeRawBufferPointer(rebasing: stream[offset..<end]), unixTimeUs: receiveTimeUs) { frame in
            checkDecodeEncode(frame)
            if frame.version == .v2, mode & 2 != 0 {
                resign(frame, into: &resigned, parser: verifying, unixTimeUs: receiveTimeUs)
            }
        }
        offset = end
    }
    let counters = parser.counters
    precondition(counters.bytesDiscarded <= UInt64(stream.count), "discarded more bytes than received")
    return 0
}

/// Copies a v2 frame, marks it signed and signs it with the fuzz key, the link id and timestamp taken from its own
/// bytes, then feeds it to the verifying parser.
func resign(_ frame: ReceivedFrame, into buffer: inout [UInt8], parser: FrameParser, unixTimeUs: UInt64) {
    let checksumEnd = FrameLayout.headerLengthV2 + frame.payload.count + FrameLayout.checksumLength
    guard checksumEnd + FrameLayout.signatureLength <= buffer.count else { return }
    buffer.withUnsafeMutableBytes { raw in
        for index in 0..<(checksumEnd - 2) { raw[index] = frame.bytes[index] }
        raw[2] |= FrameLayout.incompatFlagSigned
        // The CRC covers incompat_flags, so it is recomputed after setting the signed flag.
        var crc = CRC16MCRF4XX()
        crc.update(UnsafeRawBufferPointer(rebasing: raw[1..<(checksumEnd - 2)]))
        crc.update(MessageCatalog.descriptor(for: frame.messageID)?.crcExtra ?? 0)
        raw[checksumEnd - 2] = UInt8(truncatingIfNeeded: crc.value)
        raw[checksumEnd - 1] = UInt8(truncatingIfNeeded: crc.value >> 8)
        let timestamp = SignatureTimestamp.from(unixTimeUs: unixTimeUs) &+ UInt64(frame.sequence) &- 128
        FrameSignature.append(
            to: raw, signedLength: checksumEnd, linkID: frame.componentID & 3, timestamp: timestamp,
            key: FuzzState.key)
    }
    var accepted = 0
    buffer.withUnsafeBytes { raw in
        parser.parse(
            UnsafeRawBufferPointer(rebasing: raw[0..<(checksumEnd + FrameLayout.signatureLength)]),
            unixTimeUs: unixTimeUs
        ) { signed in
            guard case .verified = signed.authentication else {
                preconditionFailure("re-signed frame delivered without verification")
            }
            accepted += 1
        }
    }
    precondition(accepted <= 1)
}

func checkDecodeEncode(_ frame: ReceivedFrame) {
    for type in MessageCatalog.messageTypes where type.messageID == frame.messageID {
        check(type, frame)
    }
}

func check<M: MAVLinkMessage>(_ type: M.Type, _ frame: ReceivedFrame) {
    guard let message = frame.decode(M.self) else { preconditionFailure("decode refused its own id") }
    withUnsafeTemporaryAllocation(byteCount: M.maxPayloadLength, alignment: 8) { region in
        region.initializeMemory(as: UInt8.self, repeating: 0)
        var writer = PayloadWriter(region)
        message.encode(into: &writer)
        precondition(!writer.overflowed, "encode overflowed its own length")
        for index in 0..<M.maxPayloadLength {
            let expected: UInt8 = index < frame.payload.count ? frame.payload[index] : 0
            precondition(region[index] == expected, "\(M.messageName): byte \(index) changed by decode/encode")
        }
    }
}
