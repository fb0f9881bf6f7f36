/// A value of an info ('I', 'M') or parameter ('P') message. Parameters use only `.int32` and `.float`, as PX4
/// tools expect.
public enum ULogKeyValue: Hashable, Sendable {
    case string(String)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case float(Float)
    case double(Double)
    /// Raw bytes of a `uint8_t[N]` value (ids, hashes).
    case bytes([UInt8])

    /// The type part of the key: `char[7]`, `int32_t`, `uint8_t[16]`, …
    public var typeText: String {
        switch self {
        case .string(let s): "char[\(s.utf8.count)]"
        case .int32: "int32_t"
        case .uint32: "uint32_t"
        case .int64: "int64_t"
        case .uint64: "uint64_t"
        case .float: "float"
        case .double: "double"
        case .bytes(let b): "uint8_t[\(b.count)]"
        }
    }

    @usableFromInline func write(into c: inout ULogByteCursor) {
        switch self {
        case .string(let s): c.write(utf8: s)
        case .int32(let v): c.write(v)
        case .uint32(let v): c.write(v)
        case .int64(let v): c.write(v)
        case .uint64(let v): c.write(v)
        case .float(let v): c.write(v)
        case .double(let v): c.write(v)
        case .bytes(let b): for x in b { c.write(x) }
        }
    }
}

extension ULogKeyValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .string(let s): s
        case .int32(let v): String(v)
        case .uint32(let v): String(v)
        case .int64(let v): String(v)
        case .uint64(let v): String(v)
        case .float(let v): String(v)
        case .double(let v): String(v)
        case .bytes(let b): b.map { hex2($0) }.joined()
        }
    }
}

func hex2(_ b: UInt8) -> String {
    let digits: [Character] = ["0","1","2","3","4","5","6","7","8","9","a","b","c","d","e","f"]
    return String([digits[Int(b >> 4)], digits[Int(b & 0x0F)]])
}
