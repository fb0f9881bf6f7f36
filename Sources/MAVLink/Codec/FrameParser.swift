/// Streaming MAVLink 1/2 parser. Bytes go in as they arrive, in chunks of any size; every complete, CRC-valid frame
/// of a known message (and, when a key is configured, with a valid signature or none) is handed to a callback.
///
/// Resynchronisation: the parser keeps the unconsumed bytes of the current candidate in a fixed 280-byte buffer.
/// When a candidate is rejected (bad CRC, unknown id, unsupported flags) only its start byte is dropped and the
/// following bytes are searched again, so a frame hidden behind a false start byte is still found. A frame with a
/// valid CRC but a failed signature is a real frame and is skipped whole.
///
/// The buffer is allocated once in `init`; parsing allocates nothing. Not thread-safe: one parser per link, used
/// from the telemetry thread.
public final class FrameParser {
    public private(set) var counters = ParserCounters()
    /// Checks signed frames when set (see `SignatureVerifier`); may be shared with the parsers of other transports.
    public let verification: SharedSignatureVerifier?
    public var verifier: SignatureVerifier? { verification?.verifier }

    private let buffer: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var nowUnixUs: UInt64 = 0

    public convenience init(verifier: SignatureVerifier? = nil) {
        self.init(shared: verifier.map { SharedSignatureVerifier($0) })
    }

    /// A parser whose signature checks and replay state are `shared` (one per vehicle, see `GroundLink`).
    public init(shared: SharedSignatureVerifier?) {
        verification = shared
        buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: FrameLayout.maxFrameLength, alignment: MemoryLayout<UInt64>.alignment)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { buffer.deallocate() }

    /// Feeds received bytes. `unixTimeUs` (time of reception, microseconds since 1970) is only used to judge
    /// signature timestamps. `onFrame` runs synchronously for each accepted frame, in order.
    public func parse(
        _ bytes: UnsafeRawBufferPointer, unixTimeUs: UInt64 = 0, onFrame: (ReceivedFrame) -> Void
    ) {
        nowUnixUs = unixTimeUs
        for byte in bytes {
            // After every drain fewer bytes than one frame remain, so there is always room.
            guard filled < buffer.count else {
                discard(filled)
                continue
            }
            buffer[filled] = byte
            filled += 1
            drain(onFrame)
        }
    }

    /// Convenience for tests and tools.
    public func parse(_ bytes: [UInt8], unixTimeUs: UInt64 = 0, onFrame: (ReceivedFrame) -> Void) {
        bytes.withUnsafeBytes { parse($0, unixTimeUs: unixTimeUs, onFrame: onFrame) }
    }

    /// Forgets a partial frame (e.g. after the link was reopened).
    public func reset() { filled = 0 }

    // Consumes as many whole frames / rejected candidates from the front of the buffer as possible.
    private func drain(_ onFrame: (ReceivedFrame) -> Void) {
        while filled > 0 {
            let stx = buffer[0]
            guard stx == FrameLayout.stxV2 || stx == FrameLayout.stxV1 else {
                var next = 1
                while next < filled, buffer[next] != FrameLayout.stxV2, buffer[next] != FrameLayout.stxV1 { next += 1 }
                discard(next)
                continue
            }
            let isV2 = stx == FrameLayout.stxV2
            let headerLength = isV2 ? FrameLayout.headerLengthV2 : FrameLayout.headerLengthV1
            guard filled >= headerLength else { return }

            let payloadLength = Int(buffer[1])
            let incompatFlags: UInt8 = isV2 ? buffer[2] : 0
            let messageID: UInt32 =
                isV2 ? UInt32(buffer[7]) | UInt32(buffer[8]) << 8 | UInt32(buffer[9]) << 16 : UInt32(buffer[5])
            guard incompatFlags & ~FrameLayout.supportedIncompatFlags == 0 else {
                counters.unsupportedIncompatFlags += 1
                discard(1)
                continue
            }
            guard let descriptor = MessageCatalog.descriptor(for: messageID) else {
                counters.unknownMessage += 1
                discard(1)
                continue
            }
            let isSigned = incompatFlags & FrameLayout.incompatFlagSigned != 0
            let checksumEnd = headerLength + payloadLength + FrameLayout.checksumLength
            let frameLength = checksumEnd + (isSigned ? FrameLayout.signatureLength : 0)
            guard filled >= frameLength else { return }

            var crc = CRC16MCRF4XX()
            crc.update(UnsafeRawBufferPointer(rebasing: buffer[1..<(checksumEnd - 2)]))
            crc.update(descriptor.crcExtra)
            let received = UInt16(buffer[checksumEnd - 2]) | UInt16(buffer[checksumEnd - 1]) << 8
            guard crc.value == received else {
                counters.badCRC += 1
                discard(1)
                continue
            }

            let frameBytes = UnsafeRawBufferPointer(rebasing: buffer[0..<frameLength])
            var authentication = FrameAuthentication.unsigned
            if isSigned {
                if let verification {
                    let result = verification.verifier.verify(
                        frame: frameBytes, systemID: buffer[5], componentID: buffer[6], unixTimeUs: nowUnixUs)
                    switch result {
                    case let .valid(linkID): authentication = .verified(linkID: linkID)
                    case let .rejected(failure):
                        count(failure)
                        discard(frameLength)
                        continue
                    }
                } else {
                    authentication = .signedNotChecked
                }
            }
            let frame = ReceivedFrame(
                version: isV2 ? .v2 : .v1,
                sequence: isV2 ? buffer[4] : buffer[2],
                systemID: isV2 ? buffer[5] : buffer[3],
                componentID: isV2 ? buffer[6] : buffer[4],
                messageID: messageID,
                incompatFlags: incompatFlags,
                compatFlags: isV2 ? buffer[3] : 0,
                authentication: authentication,
                payload: UnsafeRawBufferPointer(rebasing: buffer[headerLength..<(headerLength + payloadLength)]),
                bytes: frameBytes)
            counters.framesAccepted += 1
            onFrame(frame)
            consume(frameLength)
        }
    }

    private func count(_ failure: SignatureFailure) {
        counters.signatureFailures += 1
        switch failure {
        case .badSignature: counters.signatureBad += 1
        case .replayed: counters.signatureReplayed += 1
        case .tooOld: counters.signatureTooOld += 1
        case .tooFarAhead: counters.signatureTooFarAhead += 1
        }
    }

    private func discard(_ count: Int) {
        counters.bytesDiscarded += UInt64(count)
        consume(count)
    }

    // Drops `count` bytes from the front, keeping the rest for the next search.
    private func consume(_ count: Int) {
        let remaining = filled - count
        if remaining > 0, let base = buffer.baseAddress {
            (base).copyMemory(from: base + count, byteCount: remaining)
        }
        filled = max(remaining, 0)
    }
}
