/// Turns messages into MAVLink frames in caller-provided buffers, with the sender's system/component id and a
/// running sequence number, optionally signed. No allocation (signing hashes through swift-crypto, see
/// `FrameSignature`).
public struct FrameEncoder: Sendable {
    public var systemID: UInt8
    public var componentID: UInt8
    /// Sequence number of the next frame; wraps at 255.
    public var sequence: UInt8 = 0
    /// When set, MAVLink 2 frames are signed.
    public var signing: OutgoingSigning?

    public init(systemID: UInt8, componentID: UInt8, signing: OutgoingSigning? = nil) {
        self.systemID = systemID
        self.componentID = componentID
        self.signing = signing
    }

    /// Bytes a MAVLink 2 frame of `M` can take at most (signature included).
    public static func capacity<M: MAVLinkMessage>(for type: M.Type) -> Int {
        FrameLayout.headerLengthV2 + M.maxPayloadLength + FrameLayout.checksumLength + FrameLayout.signatureLength
    }

    /// Encodes a MAVLink 2 frame at the start of `buffer`, returns its length. Trailing zero bytes of the payload are
    /// dropped (never the first byte). `unixTimeUs` (microseconds since 1970) dates the signature; it is unused when
    /// not signing.
    public mutating func encode<M: MAVLinkMessage>(
        _ message: M, into buffer: UnsafeMutableRawBufferPointer, unixTimeUs: UInt64 = 0
    ) throws(EncodeError) -> Int {
        let header = FrameLayout.headerLengthV2
        let signatureLength = signing == nil ? 0 : FrameLayout.signatureLength
        let needed = header + M.maxPayloadLength + FrameLayout.checksumLength + signatureLength
        guard buffer.count >= needed else {
            throw .bufferTooSmall(message: "\(M.messageName)", needed: needed, available: buffer.count)
        }
        let payloadRegion = UnsafeMutableRawBufferPointer(rebasing: buffer[header..<(header + M.maxPayloadLength)])
        payloadRegion.initializeMemory(as: UInt8.self, repeating: 0)
        var writer = PayloadWriter(payloadRegion)
        message.encode(into: &writer)

        var payloadLength = M.maxPayloadLength
        while payloadLength > 1, payloadRegion[payloadLength - 1] == 0 { payloadLength -= 1 }

        buffer[0] = FrameLayout.stxV2
        buffer[1] = UInt8(truncatingIfNeeded: payloadLength)
        buffer[2] = signing == nil ? 0 : FrameLayout.incompatFlagSigned
        buffer[3] = 0
        buffer[4] = sequence
        buffer[5] = systemID
        buffer[6] = componentID
        buffer[7] = UInt8(truncatingIfNeeded: M.messageID)
        buffer[8] = UInt8(truncatingIfNeeded: M.messageID >> 8)
        buffer[9] = UInt8(truncatingIfNeeded: M.messageID >> 16)
        let crcEnd = header + payloadLength
        var crc = CRC16MCRF4XX()
        crc.update(UnsafeRawBufferPointer(rebasing: buffer[1..<crcEnd]))
        crc.update(M.crcExtra)
        buffer[crcEnd] = UInt8(truncatingIfNeeded: crc.value)
        buffer[crcEnd + 1] = UInt8(truncatingIfNeeded: crc.value >> 8)
        var length = crcEnd + FrameLayout.checksumLength
        if var outgoing = signing {
            let timestamp = outgoing.nextTimestamp(unixTimeUs: unixTimeUs)
            FrameSignature.append(
                to: buffer, signedLength: length, linkID: outgoing.linkID, timestamp: timestamp, key: outgoing.key)
            signing = outgoing
            length += FrameLayout.signatureLength
        }
        sequence &+= 1
        return length
    }

    /// Encodes a MAVLink 1 frame (8-bit id, full-length payload without extensions, never signed). For peers that
    /// only speak MAVLink 1; Kestrel itself sends MAVLink 2.
    public mutating func encodeV1<M: MAVLinkMessage>(
        _ message: M, into buffer: UnsafeMutableRawBufferPointer
    ) throws(EncodeError) -> Int {
        guard M.messageID <= 255 else {
            throw .messageIDNeedsV2(message: "\(M.messageName)", messageID: M.messageID)
        }
        guard signing == nil else { throw .signingNeedsV2(message: "\(M.messageName)") }
        let header = FrameLayout.headerLengthV1
        // Extensions are encoded too (the writer needs room for them) and then left out of the frame.
        let needed = header + M.maxPayloadLength + FrameLayout.checksumLength
        guard buffer.count >= needed else {
            throw .bufferTooSmall(message: "\(M.messageName)", needed: needed, available: buffer.count)
        }
        let payloadRegion = UnsafeMutableRawBufferPointer(rebasing: buffer[header..<(header + M.maxPayloadLength)])
        payloadRegion.initializeMemory(as: UInt8.self, repeating: 0)
        var writer = PayloadWriter(payloadRegion)
        message.encode(into: &writer)
        let payloadLength = M.minPayloadLength
        buffer[0] = FrameLayout.stxV1
        buffer[1] = UInt8(truncatingIfNeeded: payloadLength)
        buffer[2] = sequence
        buffer[3] = systemID
        buffer[4] = componentID
        buffer[5] = UInt8(truncatingIfNeeded: M.messageID)
        let crcEnd = header + payloadLength
        var crc = CRC16MCRF4XX()
        crc.update(UnsafeRawBufferPointer(rebasing: buffer[1..<crcEnd]))
        crc.update(M.crcExtra)
        buffer[crcEnd] = UInt8(truncatingIfNeeded: crc.value)
        buffer[crcEnd + 1] = UInt8(truncatingIfNeeded: crc.value >> 8)
        sequence &+= 1
        return crcEnd + FrameLayout.checksumLength
    }
}
