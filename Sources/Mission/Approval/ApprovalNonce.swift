/// The 16-byte random challenge of one approval request. An approval is bound to the nonce of the request it
/// answers, so an approval given for an earlier request can never act on a later one.
///
/// Stored as two little-endian words so the type is trivially copyable, hashable and allocation-free; `byte(at:)`
/// and `bytes` give the wire order (bytes 0…7 are `low`, 8…15 are `high`, each little-endian).
public struct ApprovalNonce: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// The all-zero nonce; never issued (a source that yields it is treated as broken).
    public static let zero = ApprovalNonce(low: 0, high: 0)

    /// Exactly 16 bytes in wire order, or nil.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { low |= UInt64(b) << (8 * UInt64(i)) } else { high |= UInt64(b) << (8 * UInt64(i - 8)) }
        }
        self.init(low: low, high: high)
    }

    /// Byte `index` (0…15) in wire order.
    @inline(__always) public func byte(at index: Int) -> UInt8 {
        let word = index < 8 ? low : high
        return UInt8(truncatingIfNeeded: word >> (8 * UInt64(index & 7)))
    }

    /// Wire-order bytes (allocates; for files and tests, not the flight path).
    public var bytes: [UInt8] { (0..<Self.byteCount).map { byte(at: $0) } }

    public var description: String { Hex.encode(bytes) }
}

/// Where request nonces come from. A nil result means no trustworthy randomness is available; the gate then refuses
/// to issue a request rather than issuing a predictable one.
public protocol NonceSource {
    mutating func nextNonce() -> ApprovalNonce?
}

/// Deterministic nonces for tests and reproducible SITL runs. Never use it on a vehicle: its nonces are predictable,
/// which would let a recorded approval be prepared in advance.
public struct SeededNonceSource: NonceSource, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func nextNonce() -> ApprovalNonce? {
        ApprovalNonce(low: splitMix(), high: splitMix())
    }

    private mutating func splitMix() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
