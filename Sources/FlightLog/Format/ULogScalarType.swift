/// The primitive field types a ULog format may use, with their sizes in the packed (padding-free) layout.
public enum ULogScalarType: String, Sendable, CaseIterable {
    case int8 = "int8_t", uint8 = "uint8_t", int16 = "int16_t", uint16 = "uint16_t"
    case int32 = "int32_t", uint32 = "uint32_t", int64 = "int64_t", uint64 = "uint64_t"
    case float = "float", double = "double", bool = "bool", char = "char"

    public var sizeBytes: Int {
        switch self {
        case .int8, .uint8, .bool, .char: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float: 4
        case .int64, .uint64, .double: 8
        }
    }

    /// The name as it appears in format and info keys (`uint64_t`, `float`, …).
    public var typeName: String { rawValue }
}
