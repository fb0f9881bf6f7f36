/// A parsed log: definitions, info, parameters, strings and every topic's samples.
public struct ULogParsedFile: Sendable {
    public var version: UInt8 = 0
    public var startTimestampUs: UInt64 = 0
    public var compatFlags: [UInt8] = Array(repeating: 0, count: 8)
    public var incompatFlags: [UInt8] = Array(repeating: 0, count: 8)
    public var formats: [String: ULogFormatDefinition] = [:]
    public var info: [ULogKeyedValue] = []
    /// 'M' entries: each key maps to a list of values, a value being the concatenation of continued parts.
    public var multiInfo: [String: [[ULogValue]]] = [:]
    public var initialParameters: [ULogKeyedValue] = []
    public var changedParameters: [ULogChangedParameter] = []
    /// Topics in the order they were subscribed.
    public var topics: [ULogTopicData] = []
    public var loggedMessages: [ULogLoggedMessage] = []
    public var dropouts: [ULogDropout] = []
    public var syncCount = 0
    /// Largest data timestamp (or the start timestamp when there is no data).
    public var lastTimestampUs: UInt64 = 0
    /// Set when the file ends inside a message.
    public var truncation: ULogTruncation?
    /// Set in `.salvage` mode when reading stopped at corrupt data; everything before it is present.
    public var corruption: ULogReadError?

    public func infoValue(_ key: String) -> ULogValue? { info.last { $0.key == key }?.value }

    public func topic(_ name: String, multiId: UInt8 = 0) -> ULogTopicData? {
        topics.first { $0.name == name && $0.multiId == multiId }
    }
}
