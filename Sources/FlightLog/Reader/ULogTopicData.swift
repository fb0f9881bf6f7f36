/// One flattened column of a topic (arrays become `name[i]`, nested types `outer.inner`, as pyulog names them).
public struct ULogColumn: Hashable, Sendable {
    public let name: String
    public let type: ULogScalarType
    /// Byte offset within a sample.
    public let offset: Int
}

/// All samples of one subscription (topic name + multi id), stored packed as they were in the file.
public struct ULogTopicData: Sendable {
    public let name: String
    public let multiId: UInt8
    public let messageId: UInt16
    public let columns: [ULogColumn]
    public let sampleBytes: Int
    /// Column index of `uint64_t timestamp`, nil if the format has none.
    public let timestampColumn: Int?
    public internal(set) var raw: [UInt8] = []

    public var sampleCount: Int { sampleBytes == 0 ? 0 : raw.count / sampleBytes }

    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Value of `column` in sample `index`; nil when either is out of range.
    public func value(sample index: Int, column: Int) -> ULogScalarValue? {
        guard index >= 0, index < sampleCount, column >= 0, column < columns.count else { return nil }
        let c = columns[column]
        return raw.withUnsafeBytes { ULogScalarValue.load(c.type, from: $0, at: index * sampleBytes + c.offset) }
    }

    public func value(sample index: Int, _ columnName: String) -> ULogScalarValue? {
        guard let c = columnIndex(columnName) else { return nil }
        return value(sample: index, column: c)
    }

    public func timestampUs(sample index: Int) -> UInt64? {
        guard let t = timestampColumn, case .uint(let v)? = value(sample: index, column: t) else { return nil }
        return v
    }
}
