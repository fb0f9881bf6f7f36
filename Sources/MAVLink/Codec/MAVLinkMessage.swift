/// A MAVLink message with a fixed wire layout. Conforming types are generated from the XML definitions
/// (Sources/MAVLink/Generated, by Tools/mavgen-swift/generate); do not write them by hand.
public protocol MAVLinkMessage: Sendable, Equatable {
    static var messageID: UInt32 { get }
    static var messageName: StaticString { get }
    /// Seed byte folded into the frame CRC; a mismatch means the two ends disagree about the message layout.
    static var crcExtra: UInt8 { get }
    /// Payload length without extension fields (the MAVLink 1 length).
    static var minPayloadLength: Int { get }
    /// Payload length with every extension field.
    static var maxPayloadLength: Int { get }

    /// Decodes from a payload of any length: missing trailing bytes read as zero.
    init(payload: PayloadReader)
    /// Writes every field (wire order, little-endian) into a zero-filled region of `maxPayloadLength` bytes.
    func encode(into payload: inout PayloadWriter)
}
