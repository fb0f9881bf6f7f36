/// Byte layout of MAVLink 1 and 2 frames (constants shared by encoder and parser).
public enum FrameLayout {
    public static let stxV1: UInt8 = 0xFE
    public static let stxV2: UInt8 = 0xFD
    /// STX, len, seq, sysid, compid, msgid.
    public static let headerLengthV1 = 6
    /// STX, len, incompat_flags, compat_flags, seq, sysid, compid, msgid (3 bytes, little-endian).
    public static let headerLengthV2 = 10
    public static let checksumLength = 2
    /// link id (1), timestamp (6, little-endian, 10 µs since 2015-01-01 UTC), first 6 bytes of the SHA-256.
    public static let signatureLength = 13
    public static let maxPayloadLength = 255
    /// The largest MAVLink frame: a signed MAVLink 2 frame with a 255-byte payload (280 bytes).
    public static let maxFrameLength = headerLengthV2 + maxPayloadLength + checksumLength + signatureLength

    /// incompat_flags bit: the frame carries a signature block.
    public static let incompatFlagSigned: UInt8 = 0x01
    /// incompat_flags bits this implementation understands; a frame with any other bit set must be dropped.
    public static let supportedIncompatFlags: UInt8 = incompatFlagSigned
}

public enum ProtocolVersion: Sendable, Equatable {
    case v1, v2
}
