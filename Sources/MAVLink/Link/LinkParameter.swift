/// A MAVLink parameter name: up to 16 ASCII bytes, NUL-padded (no terminator when all 16 are used).
public struct ParameterID: Hashable, Sendable, CustomStringConvertible {
    public static let maxLength = 16
    public var bytes: MAVArray<16, UInt8>

    public init(bytes: MAVArray<16, UInt8>) {
        // Bytes after the first NUL are not part of the name; clear them so equal names compare equal.
        var clean = MAVArray<16, UInt8>(repeating: 0)
        for index in 0..<16 {
            let byte = bytes[index]
            if byte == 0 { break }
            clean[index] = byte
        }
        self.bytes = clean
    }

    /// Nil unless `name` is 1…16 bytes of printable ASCII without spaces (what GCSs display and files hold).
    public init?(_ name: String) {
        let utf8 = Array(name.utf8)
        guard !utf8.isEmpty, utf8.count <= Self.maxLength, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return nil
        }
        bytes = MAVArray(utf8)
    }

    public func hash(into hasher: inout Hasher) {
        for index in 0..<16 { hasher.combine(bytes[index]) }
    }

    public var description: String { bytes.text }
}

/// One entry of the vehicle's parameter table.
public struct LinkParameter: Equatable, Sendable {
    public var id: ParameterID
    /// The value in the parameter's own type (integers are exact up to 2⁵³).
    public var value: Double
    /// REAL32, or an integer type (enforced on PARAM_SET); on the wire every parameter is REAL32 (see
    /// `ParameterService`).
    public var type: MAVParamType

    public init(id: ParameterID, value: Double, type: MAVParamType) {
        self.id = id
        self.value = value
        self.type = type
    }
}

/// The model's answer to PARAM_SET.
public enum ParameterSetOutcome: Equatable, Sendable {
    /// Stored; `value` is what the parameter now holds (possibly rounded), echoed in PARAM_VALUE.
    case accepted(value: Double)
    /// Refused (out of range, read-only, not settable while armed …); the old value is echoed and the reason
    /// is sent as STATUSTEXT.
    case refused(reason: String)
}
