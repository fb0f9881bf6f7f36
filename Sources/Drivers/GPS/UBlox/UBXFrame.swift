/// A UBX message's class and id, with the name the u-blox interface description gives it.
public struct UBXMessageID: Hashable, Sendable, CustomStringConvertible {
    public var messageClass: UInt8
    public var id: UInt8

    public init(_ messageClass: UInt8, _ id: UInt8) {
        self.messageClass = messageClass
        self.id = id
    }

    public static let navPVT = UBXMessageID(0x01, 0x07)
    public static let ackNak = UBXMessageID(0x05, 0x00)
    public static let ackAck = UBXMessageID(0x05, 0x01)
    public static let cfgPRT = UBXMessageID(0x06, 0x00)
    public static let cfgMSG = UBXMessageID(0x06, 0x01)
    public static let cfgRATE = UBXMessageID(0x06, 0x08)
    public static let cfgNAV5 = UBXMessageID(0x06, 0x24)
    public static let cfgVALSET = UBXMessageID(0x06, 0x8A)
    public static let monVER = UBXMessageID(0x0A, 0x04)

    public var description: String {
        switch self {
        case .navPVT: return "UBX-NAV-PVT"
        case .ackNak: return "UBX-ACK-NAK"
        case .ackAck: return "UBX-ACK-ACK"
        case .cfgPRT: return "UBX-CFG-PRT"
        case .cfgMSG: return "UBX-CFG-MSG"
        case .cfgRATE: return "UBX-CFG-RATE"
        case .cfgNAV5: return "UBX-CFG-NAV5"
        case .cfgVALSET: return "UBX-CFG-VALSET"
        case .monVER: return "UBX-MON-VER"
        default: return "UBX \(hex(messageClass)) \(hex(id))"
        }
    }
}

/// UBX framing: 0xB5 0x62, class, id, little-endian payload length, payload, then the 8-bit Fletcher checksum
/// (CK_A, CK_B) over class, id, length and payload.
public enum UBXFrame {
    public static let sync1: UInt8 = 0xB5
    public static let sync2: UInt8 = 0x62

    /// The 8-bit Fletcher checksum over `bytes` (class through the end of the payload).
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> (a: UInt8, b: UInt8) where Bytes.Element == UInt8 {
        var a: UInt8 = 0
        var b: UInt8 = 0
        for byte in bytes {
            a &+= byte
            b &+= a
        }
        return (a, b)
    }

    /// The whole frame for `message` with `payload` (at most 65 535 bytes; the builders here stay far below).
    public static func encode(_ message: UBXMessageID, payload: [UInt8] = []) -> [UInt8] {
        let length = UInt16(truncatingIfNeeded: payload.count)
        var frame: [UInt8] = [sync1, sync2, message.messageClass, message.id,
                              UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8)]
        frame.reserveCapacity(payload.count + 8)
        frame += payload
        let (a, b) = checksum(frame[2...])
        frame.append(a)
        frame.append(b)
        return frame
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T, bytes: Int = MemoryLayout<T>.size) {
        for i in 0..<bytes { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }
}
