/// How a received frame is authenticated.
public enum FrameAuthentication: Sendable, Equatable {
    /// No signature block.
    case unsigned
    /// Signed, but no signing key is configured, so the signature was not checked.
    case signedNotChecked
    /// Signature valid and fresh for its (system, component, link) stream.
    case verified(linkID: UInt8)
}

/// A checked frame handed out by `FrameParser`. Its buffers point into the parser and are valid only inside the
/// callback that received it: decode or copy what you need there.
public struct ReceivedFrame {
    public let version: ProtocolVersion
    public let sequence: UInt8
    public let systemID: UInt8
    public let componentID: UInt8
    public let messageID: UInt32
    public let incompatFlags: UInt8
    public let compatFlags: UInt8
    public let authentication: FrameAuthentication
    /// Payload as received (possibly truncated; decoding zero-extends it).
    public let payload: UnsafeRawBufferPointer
    /// The whole frame, STX to checksum or signature.
    public let bytes: UnsafeRawBufferPointer

    /// The message, if this frame carries an `M`.
    @inlinable public func decode<M: MAVLinkMessage>(_ type: M.Type) -> M? {
        guard messageID == M.messageID else { return nil }
        return M(payload: PayloadReader(payload))
    }
}
