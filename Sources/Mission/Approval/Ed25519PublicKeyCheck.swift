/// Refuses Ed25519 public keys that would let anyone forge approvals.
///
/// A key whose point has small order (one of the 8 torsion points: the identity, order 2, 4 or 8) makes
/// `[S]B - [k]A` independent of the secret: for the identity key one fixed signature `(B, 1)` verifies for every
/// message, and for the all-zero encoding (order 4) it verifies whenever `k ≡ 0 (mod 4)`. Ed25519 verifiers do not
/// refuse such keys themselves (RFC 8032 does not require it), so the key file reader does. A non-canonical encoding
/// (`y ≥ p`) is refused too: no honest key generator writes one, and two encodings of one point would give one
/// operator two key ids.
public enum Ed25519PublicKeyCheck {
    public enum Weakness: Equatable, Sendable, CustomStringConvertible {
        /// `y` is not reduced modulo p = 2²⁵⁵ − 19.
        case nonCanonical
        /// The point is one of the 8 small-order (torsion) points.
        case smallOrder

        public var description: String {
            switch self {
            case .nonCanonical: "non-canonical encoding (y ≥ 2^255 - 19)"
            case .smallOrder: "small-order point (anyone can forge signatures for it)"
            }
        }
    }

    /// The `y` coordinates (little-endian, sign bit clear) of the 8 small-order points: each stands for the point
    /// and its negation (the sign bit picks x), so both sign-bit encodings are covered by masking that bit.
    static let smallOrderY: [[UInt8]] = [
        // y = 0: the two points of order 4 (x = ±√−1).
        [UInt8](repeating: 0, count: 32),
        // y = 1: the identity (order 1).
        [0x01] + [UInt8](repeating: 0, count: 31),
        // y = p − 1: the point of order 2.
        [0xEC] + [UInt8](repeating: 0xFF, count: 30) + [0x7F],
        // The four points of order 8 (y and p − y).
        [0x26, 0xE8, 0x95, 0x8F, 0xC2, 0xB2, 0x27, 0xB0, 0x45, 0xC3, 0xF4, 0x89, 0xF2, 0xEF, 0x98, 0xF0,
         0xD5, 0xDF, 0xAC, 0x05, 0xD3, 0xC6, 0x33, 0x39, 0xB1, 0x38, 0x02, 0x88, 0x6D, 0x53, 0xFC, 0x05],
        [0xC7, 0x17, 0x6A, 0x70, 0x3D, 0x4D, 0xD8, 0x4F, 0xBA, 0x3C, 0x0B, 0x76, 0x0D, 0x10, 0x67, 0x0F,
         0x2A, 0x20, 0x53, 0xFA, 0x2C, 0x39, 0xCC, 0xC6, 0x4E, 0xC7, 0xFD, 0x77, 0x92, 0xAC, 0x03, 0x7A],
    ]

    /// Why the 32-byte encoded key `raw` must not be trusted, or nil when it is neither small-order nor
    /// non-canonical. (Whether it is a point of the curve at all is left to the verifier: a key off the curve
    /// verifies nothing.)
    public static func weakness(of raw: some Collection<UInt8>) -> Weakness? {
        guard raw.count == 32 else { return .nonCanonical }
        var y = Array(raw)
        y[31] &= 0x7F
        if isAtLeastP(y) { return .nonCanonical }
        if smallOrderY.contains(y) { return .smallOrder }
        return nil
    }

    /// y ≥ 2²⁵⁵ − 19, i.e. bytes 1…30 all 0xFF, byte 31 = 0x7F and byte 0 ≥ 0xED.
    private static func isAtLeastP(_ y: [UInt8]) -> Bool {
        guard y[31] == 0x7F, y[0] >= 0xED else { return false }
        return y[1...30].allSatisfy { $0 == 0xFF }
    }
}
