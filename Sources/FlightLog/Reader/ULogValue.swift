/// One decoded primitive from a log.
public enum ULogScalarValue: Hashable, Sendable {
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case char(UInt8)

    /// Numeric value as Double (for checks and plotting); chars give their code.
    public var doubleValue: Double {
        switch self {
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        case .bool(let v): v ? 1 : 0
        case .char(let v): Double(v)
        }
    }

    /// Reads one value at `offset`; the caller has checked the bounds.
    static func load(_ type: ULogScalarType, from raw: UnsafeRawBufferPointer, at offset: Int) -> ULogScalarValue {
        switch type {
        case .int8: .int(Int64(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self)))
        case .uint8: .uint(UInt64(raw[offset]))
        case .int16: .int(Int64(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self))))
        case .uint16: .uint(UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
        case .int32: .int(Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))))
        case .uint32: .uint(UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
        case .int64: .int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .uint64: .uint(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        case .float: .float(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
        case .double: .double(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case .bool: .bool(raw[offset] != 0)
        case .char: .char(raw[offset])
        }
    }
}

extension ULogScalarValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .int(let v): String(v)
        case .uint(let v): String(v)
        case .float(let v): String(v)
        case .double(let v): String(v)
        case .bool(let v): v ? "1" : "0"
        case .char(let v): String(v)
        }
    }
}

/// A decoded info or parameter value.
public enum ULogValue: Hashable, Sendable {
    case string(String)
    case scalar(ULogScalarValue)
    case array([ULogScalarValue])
}

extension ULogValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .string(let s): s
        case .scalar(let v): v.description
        case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

public struct ULogKeyedValue: Hashable, Sendable {
    public let key: String
    /// Type part of the key, e.g. `char[7]`, `int32_t`.
    public let typeName: String
    public let value: ULogValue
}

public struct ULogChangedParameter: Hashable, Sendable {
    /// Latest data timestamp seen before the change (ULog 'P' messages carry no time).
    public let timestampUs: UInt64
    public let name: String
    public let value: ULogValue
}

public struct ULogLoggedMessage: Hashable, Sendable {
    public let level: UInt8
    public let tag: UInt16?
    public let timestampUs: UInt64
    public let text: String

    public var levelName: String { ULogLogLevel(rawValue: level)?.name ?? "UNKNOWN" }
}

public struct ULogDropout: Hashable, Sendable {
    /// Latest data timestamp seen before the dropout marker.
    public let timestampUs: UInt64
    public let durationMs: UInt16
}

/// Where a log stops early: the file was cut (crash, power loss) inside a message, or ends in zeros a file system
/// left after an unclean shutdown. Not an error: everything before `offset` was read.
public struct ULogTruncation: Hashable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let missingBytes: Int
    public let zeroFilled: Bool

    public var description: String {
        zeroFilled ? "zero-filled tail from offset \(offset)"
                   : "truncated at offset \(offset) (\(missingBytes) bytes of the last message missing)"
    }
}
