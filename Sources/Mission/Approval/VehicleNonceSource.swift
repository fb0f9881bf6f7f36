/// The nonce source a vehicle's gate runs with: the operating system's entropy in flight, a seeded sequence in
/// SITL so a scenario replays bit for bit. One concrete type keeps the flight stack non-generic.
public enum VehicleNonceSource: NonceSource, Sendable {
    case system(SystemNonceSource)
    case seeded(SeededNonceSource)

    public mutating func nextNonce() -> ApprovalNonce? {
        switch self {
        case .system(var s):
            defer { self = .system(s) }
            return s.nextNonce()
        case .seeded(var s):
            defer { self = .seeded(s) }
            return s.nextNonce()
        }
    }
}
