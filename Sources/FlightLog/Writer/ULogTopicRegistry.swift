/// Refers to one registered topic instance: what the real-time side needs to log a sample, nothing more.
public struct ULogTopicHandle<Topic: ULogTopic>: Sendable, Hashable {
    public let messageId: UInt16
    public let multiId: UInt8
    /// Bytes of one framed data message (header, msg_id, fields).
    public let dataMessageBytes: Int
}

/// Assigns message ids and collects formats and subscriptions at start-up (it allocates; not for the real-time
/// thread). Several instances of a topic (two GPS receivers) share one format and get distinct `multiId`s.
public struct ULogTopicRegistry: Sendable {
    public struct Subscription: Hashable, Sendable {
        public let messageId: UInt16
        public let multiId: UInt8
        public let topicName: String
        public let dataMessageBytes: Int
    }

    public private(set) var formats: [ULogFormatDefinition] = []
    public private(set) var subscriptions: [Subscription] = []

    public init() {}

    /// Largest framed data message registered; ring slots must hold it.
    public var largestDataMessageBytes: Int { subscriptions.map(\.dataMessageBytes).max() ?? 0 }

    public mutating func register<T: ULogTopic>(_ type: T.Type, multiId: UInt8 = 0)
        throws(ULogRegistrationError) -> ULogTopicHandle<T> {
        let s = try add(format: ULogTopicDescriber.format(of: type), multiId: multiId)
        return ULogTopicHandle(messageId: s.messageId, multiId: s.multiId, dataMessageBytes: s.dataMessageBytes)
    }

    /// Registers a topic known only as a type value (from `KestrelTopicCatalog.all`); returns its message id.
    @discardableResult
    public mutating func register(any type: any ULogTopic.Type, multiId: UInt8 = 0)
        throws(ULogRegistrationError) -> UInt16 {
        try add(format: describe(type), multiId: multiId).messageId
    }

    private func describe<T: ULogTopic>(_ type: T.Type) -> ULogFormatDefinition { ULogTopicDescriber.format(of: type) }

    private mutating func add(format: ULogFormatDefinition, multiId: UInt8) throws(ULogRegistrationError) -> Subscription {
        let name = format.name
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x3A && $0 != 0x3B }) else {
            throw .invalidTopicName(name)
        }
        guard let payload = format.primitiveSizeBytes else { throw .invalidTopicName(name) }
        // msg_id (2) + fields must fit the 16-bit payload size.
        guard payload + 2 <= ULogConstants.maxPayloadSize else { throw .topicTooLarge(name, bytes: payload) }
        if let existing = formats.first(where: { $0.name == name }) {
            guard existing == format else { throw .conflictingFormat(name) }
        } else {
            formats.append(format)
        }
        guard !subscriptions.contains(where: { $0.topicName == name && $0.multiId == multiId }) else {
            throw .duplicate(name, multiId: multiId)
        }
        guard subscriptions.count < Int(UInt16.max) else { throw .tooManyTopics }
        let s = Subscription(messageId: UInt16(subscriptions.count), multiId: multiId, topicName: name,
                             dataMessageBytes: ULogConstants.messageHeaderSize + 2 + payload)
        subscriptions.append(s)
        return s
    }
}

public enum ULogRegistrationError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidTopicName(String)
    case topicTooLarge(String, bytes: Int)
    case conflictingFormat(String)
    case duplicate(String, multiId: UInt8)
    case tooManyTopics

    public var description: String {
        switch self {
        case .invalidTopicName(let n): "topic name '\(n)' is not a valid ULog format name (printable ASCII, no ':' or ';')"
        case .topicTooLarge(let n, let b): "topic '\(n)' needs \(b) bytes per sample, more than a ULog message can hold"
        case .conflictingFormat(let n): "topic '\(n)' registered twice with different field lists"
        case .duplicate(let n, let m): "topic '\(n)' multi id \(m) registered twice"
        case .tooManyTopics: "more than 65535 topic instances registered"
        }
    }
}
