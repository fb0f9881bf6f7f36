/// Writes visited fields as packed little-endian bytes. Allocation-free; used on the real-time thread.
public struct ULogTopicEncoder: ULogFieldVisitor {
    public var cursor: ULogByteCursor

    @inlinable public init(cursor: ULogByteCursor) { self.cursor = cursor }

    @inlinable public mutating func scalar<T: ULogScalar>(_ name: StaticString, _ value: T) {
        value.write(into: &cursor)
    }

    @inlinable public mutating func array<T: ULogScalar>(_ name: StaticString, count: Int, _ element: (Int) -> T) {
        for i in 0..<max(0, count) { element(i).write(into: &cursor) }
    }
}

/// Collects visited fields into a format definition. Runs once per topic at registration (it allocates).
public struct ULogTopicDescriber: ULogFieldVisitor {
    public private(set) var fields: [ULogFieldDefinition] = []

    public init() {}

    public mutating func scalar<T: ULogScalar>(_ name: StaticString, _ value: T) {
        fields.append(ULogFieldDefinition(typeName: T.ulogType.typeName, name: name.description))
    }

    public mutating func array<T: ULogScalar>(_ name: StaticString, count: Int, _ element: (Int) -> T) {
        fields.append(ULogFieldDefinition(typeName: T.ulogType.typeName, arrayCount: count, name: name.description))
    }

    /// The topic's format: `uint64_t timestamp` first, then its fields in declared order.
    public static func format<T: ULogTopic>(of type: T.Type) -> ULogFormatDefinition {
        var d = ULogTopicDescriber()
        d.scalar("timestamp", UInt64(0))
        T().encodeFields(into: &d)
        return ULogFormatDefinition(name: T.topicName, fields: d.fields)
    }
}
