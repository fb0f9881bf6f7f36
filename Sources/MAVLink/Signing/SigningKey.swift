/// A MAVLink 2 signing secret: 32 bytes shared by the vehicle and its ground stations. Its description never shows
/// the bytes.
public struct SigningKey: Sendable, Equatable, CustomStringConvertible {
    public static let length = 32
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// nil unless `bytes` has exactly 32 elements.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.length else { return nil }
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
    }

    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    public static func == (lhs: SigningKey, rhs: SigningKey) -> Bool {
        // Constant-time comparison: no early exit on the first differing word.
        ((lhs.words.0 ^ rhs.words.0) | (lhs.words.1 ^ rhs.words.1) | (lhs.words.2 ^ rhs.words.2)
            | (lhs.words.3 ^ rhs.words.3)) == 0
    }

    public var description: String { "SigningKey(32 bytes, redacted)" }
}
