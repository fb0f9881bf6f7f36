import Crypto
import FlightMath

/// Short name of an operator public key: the first 8 bytes of SHA-256 of its 32 raw bytes. Stored as a
/// little-endian word of those bytes so `bytes` gives them back in hash order.
public struct OperatorKeyID: Hashable, Sendable, CustomStringConvertible, FixedTextWritable {
    public static let byteCount = 8
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// No key; used in log records of events that carry no operator key.
    public static let none = OperatorKeyID(rawValue: 0)

    public init(publicKeyBytes: some Collection<UInt8>) {
        let digest = SHA256.hash(data: Array(publicKeyBytes))
        var v: UInt64 = 0
        for (i, b) in digest.prefix(Self.byteCount).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        rawValue = v
    }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var v: UInt64 = 0
        for (i, b) in bytes.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        rawValue = v
    }

    public var bytes: [UInt8] { (0..<Self.byteCount).map { UInt8(truncatingIfNeeded: rawValue >> (8 * UInt64($0))) } }

    /// Hex in hash order, as printed by `kestrel approve` and accepted in files.
    public var description: String { Hex.encode(bytes) }

    /// The same hex as `description`, without allocating.
    public func write(to text: inout FixedText) {
        for i in 0..<Self.byteCount { text.appendHex(byte: byte(i)) }
    }

    /// Byte `index` in hash order (0 ..< byteCount; 0 outside).
    public func byte(_ index: Int) -> UInt8 {
        index >= 0 && index < Self.byteCount ? UInt8(truncatingIfNeeded: rawValue >> (8 * UInt64(index))) : 0
    }
}
