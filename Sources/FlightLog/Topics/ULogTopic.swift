/// A logged topic: a plain struct that lists its fields, in order, to a visitor. The same `encodeFields` both
/// produces the ULog format definition (at registration, with `ULogTopicDescriber`) and encodes samples (with
/// `ULogTopicEncoder`), so the format and the bytes cannot disagree.
///
/// Rules for `encodeFields`: visit the same fields in the same order with the same array counts whatever the
/// values are; do not visit `timestamp` (the encoder writes `uint64_t timestamp` first, which PX4 tools require).
/// Field names follow PX4 where the meaning is the same.
public protocol ULogTopic: Sendable {
    /// Topic (and format) name in the log, e.g. `vehicle_attitude`.
    static var topicName: String { get }
    /// A sample with default values; used only to walk the field list when describing the format.
    init()
    /// Time the sample was published, microseconds on the vehicle's monotonic clock.
    var timestampUs: UInt64 { get }
    func encodeFields<V: ULogFieldVisitor>(into visitor: inout V)
}

/// Receives a topic's fields in declared order.
public protocol ULogFieldVisitor {
    mutating func scalar<T: ULogScalar>(_ name: StaticString, _ value: T)
    /// A fixed-size array `type[count] name`; `element(i)` gives element i. `count` must not depend on values.
    mutating func array<T: ULogScalar>(_ name: StaticString, count: Int, _ element: (Int) -> T)
}

/// A primitive that can be a ULog field.
public protocol ULogScalar {
    static var ulogType: ULogScalarType { get }
    func write(into cursor: inout ULogByteCursor)
}

extension UInt8: ULogScalar {
    public static var ulogType: ULogScalarType { .uint8 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Int8: ULogScalar {
    public static var ulogType: ULogScalarType { .int8 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension UInt16: ULogScalar {
    public static var ulogType: ULogScalarType { .uint16 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Int16: ULogScalar {
    public static var ulogType: ULogScalarType { .int16 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension UInt32: ULogScalar {
    public static var ulogType: ULogScalarType { .uint32 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Int32: ULogScalar {
    public static var ulogType: ULogScalarType { .int32 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension UInt64: ULogScalar {
    public static var ulogType: ULogScalarType { .uint64 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Int64: ULogScalar {
    public static var ulogType: ULogScalarType { .int64 }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Float: ULogScalar {
    public static var ulogType: ULogScalarType { .float }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Double: ULogScalar {
    public static var ulogType: ULogScalarType { .double }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}
extension Bool: ULogScalar {
    public static var ulogType: ULogScalarType { .bool }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(self) }
}

/// One byte of a `char[N]` field (fixed-length text such as a task name, zero padded).
public struct ULogChar: ULogScalar, Hashable, Sendable {
    public var byte: UInt8
    @inlinable public init(_ byte: UInt8) { self.byte = byte }
    public static var ulogType: ULogScalarType { .char }
    @inlinable public func write(into c: inout ULogByteCursor) { c.write(byte) }
}
