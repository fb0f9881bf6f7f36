/// MAVLink 2 signature timestamps: 48-bit count of 10 µs units since 2015-01-01 00:00:00 UTC.
public enum SignatureTimestamp {
    /// 2015-01-01 00:00:00 UTC in microseconds since 1970-01-01 (16 436 days).
    public static let epochUnixUs: UInt64 = 1_420_070_400_000_000
    public static let max: UInt64 = (1 << 48) - 1
    /// One minute: how far behind the local timestamp a new stream may start.
    public static let acceptedAgeUnits: UInt64 = 6_000_000

    /// Timestamp of a UNIX time; times before 2015 give 0, times past 2104 saturate.
    @inlinable public static func from(unixTimeUs: UInt64) -> UInt64 {
        guard unixTimeUs > epochUnixUs else { return 0 }
        return Swift.min((unixTimeUs - epochUnixUs) / 10, max)
    }
}

/// Signing state of a sender: key, link id and the last timestamp used (timestamps must strictly increase).
public struct OutgoingSigning: Sendable {
    public var key: SigningKey
    public var linkID: UInt8
    public private(set) var lastTimestamp: UInt64

    public init(key: SigningKey, linkID: UInt8, lastTimestamp: UInt64 = 0) {
        self.key = key
        self.linkID = linkID
        self.lastTimestamp = lastTimestamp
    }

    /// Timestamp for the next frame: the clock's, or one more than the last if the clock has not advanced
    /// (several frames within 10 µs, or a clock stepped back).
    public mutating func nextTimestamp(unixTimeUs: UInt64) -> UInt64 {
        let clock = SignatureTimestamp.from(unixTimeUs: unixTimeUs)
        let next = clock > lastTimestamp ? clock : Swift.min(lastTimestamp &+ 1, SignatureTimestamp.max)
        lastTimestamp = next
        return next
    }
}
