/// Nonces of approvals the gate has accepted, most recent `capacity` of them, so a captured approval is refused as
/// a replay even after later requests. Forgetting the oldest is safe: an approval only acts when its nonce equals the
/// nonce of the request pending now, and a fresh request never reuses a remembered nonce.
public struct UsedNonceMemory: Sendable {
    public static let capacity = 64
    private var nonces = InlineArray<64, ApprovalNonce>(repeating: .zero)
    private var stored = 0
    private var next = 0

    public init() {}

    public func contains(_ nonce: ApprovalNonce) -> Bool {
        for i in 0..<stored where nonces[i] == nonce { return true }
        return false
    }

    public mutating func insert(_ nonce: ApprovalNonce) {
        if contains(nonce) { return }
        nonces[next] = nonce
        next = (next + 1) % Self.capacity
        stored = min(stored + 1, Self.capacity)
    }
}
