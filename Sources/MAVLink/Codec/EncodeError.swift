/// Why a message could not be encoded into a frame.
public enum EncodeError: Error, Equatable, CustomStringConvertible {
    /// The caller's buffer cannot hold the frame.
    case bufferTooSmall(message: String, needed: Int, available: Int)
    /// MAVLink 1 carries 8-bit message ids only.
    case messageIDNeedsV2(message: String, messageID: UInt32)
    /// MAVLink 1 frames cannot be signed.
    case signingNeedsV2(message: String)

    public var description: String {
        switch self {
        case let .bufferTooSmall(message, needed, available):
            "MAVLink encode of \(message): frame needs \(needed) bytes, buffer has \(available)"
        case let .messageIDNeedsV2(message, messageID):
            "MAVLink encode of \(message): id \(messageID) does not fit a MAVLink 1 frame"
        case let .signingNeedsV2(message):
            "MAVLink encode of \(message): MAVLink 1 frames cannot be signed"
        }
    }
}
