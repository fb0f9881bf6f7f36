/// A token bucket on the caller's clock: `capacity` tokens, one more every `refillIntervalUs`. Bounds how often a
/// costly step may run however fast its input arrives.
struct TokenBucket: Sendable {
    let capacity: UInt64
    let refillIntervalUs: UInt64
    private(set) var tokens: UInt64
    private var lastRefillUs: UInt64?

    init(capacity: UInt64, refillIntervalUs: UInt64) {
        self.capacity = max(1, capacity)
        self.refillIntervalUs = max(1, refillIntervalUs)
        tokens = self.capacity
    }

    /// Takes one token if there is one. A clock that steps back refills nothing.
    mutating func take(nowUs: UInt64) -> Bool {
        if let last = lastRefillUs {
            if nowUs > last {
                let earned = (nowUs - last) / refillIntervalUs
                if earned > 0 {
                    tokens = min(capacity, tokens &+ earned)
                    lastRefillUs = tokens == capacity ? nowUs : last &+ earned &* refillIntervalUs
                }
            }
        } else {
            lastRefillUs = nowUs
        }
        guard tokens > 0 else { return false }
        tokens -= 1
        return true
    }
}
