/// Debounces a stream of timestamped edges: a new level is accepted only once it has held for `debounceUs`
/// without another edge. Works on the kernel's edge timestamps, so a late poll does not change the outcome.
///
/// The accepted event carries the time of the edge that started the stable level, not the time it was accepted.
public struct EdgeDebouncer: Hashable, Sendable {
    public let debounceUs: UInt64
    /// The last accepted (debounced) level.
    public private(set) var stableLevel: Bool
    private var candidateLevel: Bool
    private var candidateSinceUs: UInt64

    public init(debounceUs: UInt64, initialLevel: Bool) {
        self.debounceUs = debounceUs
        self.stableLevel = initialLevel
        self.candidateLevel = initialLevel
        self.candidateSinceUs = 0
    }

    /// Feeds one raw edge. Returns an accepted change if the previous candidate level had already held long
    /// enough by the time this edge arrived.
    public mutating func ingest(_ edge: EdgeEvent) -> EdgeEvent? {
        let accepted = settle(nowUs: edge.timestampUs)
        // Any edge means the line moved, so the hold time restarts even if we missed the opposite edge.
        candidateLevel = edge.isActive
        candidateSinceUs = edge.timestampUs
        if debounceUs == 0 {
            return settle(nowUs: edge.timestampUs) ?? accepted
        }
        return accepted
    }

    /// Accepts the candidate level if it has held for `debounceUs` by `nowUs`.
    public mutating func settle(nowUs: UInt64) -> EdgeEvent? {
        guard candidateLevel != stableLevel else { return nil }
        guard nowUs >= candidateSinceUs, nowUs - candidateSinceUs >= debounceUs else { return nil }
        stableLevel = candidateLevel
        return EdgeEvent(timestampUs: candidateSinceUs, isActive: stableLevel)
    }
}
