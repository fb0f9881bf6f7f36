/// ULog message kinds (the one-byte `msg_type` after each message's 16-bit size) and the fixed byte patterns of
/// the format, as the PX4 "ULog File Format" specification defines them (file version 1).
public enum ULogMessageType: UInt8, Sendable, CaseIterable {
    case flagBits = 0x42          // 'B'
    case format = 0x46            // 'F'
    case info = 0x49              // 'I'
    case infoMultiple = 0x4D      // 'M'
    case parameter = 0x50         // 'P'
    case parameterDefault = 0x51  // 'Q'
    case addSubscription = 0x41   // 'A'
    case removeSubscription = 0x52 // 'R'
    case data = 0x44              // 'D'
    case logging = 0x4C           // 'L'
    case loggingTagged = 0x43     // 'C'
    case sync = 0x53              // 'S'
    case dropout = 0x4F           // 'O'

    /// The letter the specification uses, for error messages.
    public var letter: Character { Character(Unicode.Scalar(rawValue)) }
}

public enum ULogConstants {
    /// "ULog" followed by 0x01 0x12 0x35, then the version byte.
    public static let magic: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x55, 0x4C, 0x6F, 0x67, 0x01, 0x12, 0x35)
    public static let fileVersion: UInt8 = 1
    public static let headerSize = 16
    /// Every message starts with `uint16 msg_size` (payload only) and `uint8 msg_type`.
    public static let messageHeaderSize = 3
    public static let maxPayloadSize = Int(UInt16.max)
    /// Payload of a sync message; readers search for it to resynchronise after corruption.
    public static let syncMagic: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0x2F, 0x73, 0x13, 0x20, 0x25, 0x0C, 0xBB, 0x12)
    /// Flag-bits payload: compat[8], incompat[8], appended_offsets[3] (uint64).
    public static let flagBitsPayloadSize = 40
    /// Incompatible flag bit 0 of byte 0: data appended at the offsets given in the flag-bits message.
    public static let incompatDataAppendedMask: UInt8 = 0x01
}

/// Log levels of 'L' and 'C' messages: ASCII digits, syslog order.
public enum ULogLogLevel: UInt8, Sendable, CaseIterable {
    case emergency = 0x30, alert, critical, error, warning, notice, info, debug

    public var name: String {
        switch self {
        case .emergency: "EMERGENCY"
        case .alert: "ALERT"
        case .critical: "CRITICAL"
        case .error: "ERROR"
        case .warning: "WARNING"
        case .notice: "NOTICE"
        case .info: "INFO"
        case .debug: "DEBUG"
        }
    }
}
