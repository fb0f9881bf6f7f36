/// Why a log could not be read, and where: byte offset of the offending message and its type letter.
public enum ULogReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case notULog(reason: String)
    case unsupportedIncompatibleFlags(offset: Int, flags: [UInt8])
    case malformedMessage(offset: Int, type: UInt8, reason: String)
    case unknownFormat(offset: Int, type: UInt8, name: String)
    case unknownSubscription(offset: Int, messageId: UInt16)
    case dataSizeMismatch(offset: Int, topic: String, expected: Int, actual: Int)
    case corruptMessageHeader(offset: Int, type: UInt8, size: Int)

    public var offset: Int {
        switch self {
        case .notULog: 0
        case .unsupportedIncompatibleFlags(let o, _), .malformedMessage(let o, _, _), .unknownFormat(let o, _, _),
             .unknownSubscription(let o, _), .dataSizeMismatch(let o, _, _, _), .corruptMessageHeader(let o, _, _): o
        }
    }

    public var description: String {
        switch self {
        case .notULog(let r): "not a ULog file: \(r)"
        case .unsupportedIncompatibleFlags(let o, let f):
            "offset \(o): 'B' message sets incompatible flags this reader does not know (\(f.map { hex2($0) }.joined(separator: " ")))"
        case .malformedMessage(let o, let t, let r): "offset \(o): \(Self.name(t)) message: \(r)"
        case .unknownFormat(let o, let t, let n): "offset \(o): \(Self.name(t)) message refers to undefined format '\(n)'"
        case .unknownSubscription(let o, let id): "offset \(o): 'D' message for message id \(id), which no 'A' message subscribed"
        case .dataSizeMismatch(let o, let n, let e, let a):
            "offset \(o): 'D' message for '\(n)' has \(a) data bytes, format needs \(e)"
        case .corruptMessageHeader(let o, let t, let s):
            "offset \(o): corrupt message header (type byte 0x\(hex2(t)), size \(s))"
        }
    }

    static func name(_ type: UInt8) -> String {
        if let t = ULogMessageType(rawValue: type) { return "'\(t.letter)'" }
        return "type 0x\(hex2(type))"
    }
}
