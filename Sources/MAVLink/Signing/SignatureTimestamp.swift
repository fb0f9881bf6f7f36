/// MAVLink 2 signature timestamps: 48-bit count of 10 µs units since 2015-01-01 00:00:00 UTC.
public enum SignatureTimestamp {
    /// 2015-01-01 00:00:00 UTC in microseconds since 1970-01-01 (16 436 days).
    public static let epochUnixUs: UInt64 = 1_420_070_400_000_000
    public static let max: UInt64 = (1 << 48) - 1
    /// One minute: how far behind the local timestamp a new stream may start.
    public static let acceptedAgeUnits: UInt64 = 6_000_000
    /// Ten minutes: how far ahead of a sane local clock a new stream may start (clock differences between stations
    /// are seconds; a larger lead is a wrong clock that would otherwise lock every other station out).
    public static let acceptedLeadUnits: UInt64 = 60_000_000
    /// 2024-01-01 00:00:00 UTC: a clock reading before this is a board without a real-time clock (it boots in
    /// 1970), not a time to judge signatures against.
    public static let saneClockFloorUnixUs: UInt64 = 1_704_067_200_000_000

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

    /// Never emit a timestamp at or below `floor` from now on: the last timestamp persisted before a restart, or
    /// the newest valid incoming one (a board without a real-time clock boots in 1970, and peers would reject its
    /// frames as replays or as too old).
    public mutating func raiseFloor(to floor: UInt64) {
        lastTimestamp = max(lastTimestamp, Swift.min(floor, SignatureTimestamp.max))
    }

    /// Timestamp for the next frame: the clock's, or one more than the last if the clock has not advanced
    /// (several frames within 10 µs, a clock stepped back, or one behind the floor).
    public mutating func nextTimestamp(unixTimeUs: UInt64) -> UInt64 {
        let clock = SignatureTimestamp.from(unixTimeUs: unixTimeUs)
        let next = clock > lastTimestamp ? clock : Swift.min(lastTimestamp &+ 1, SignatureTimestamp.max)
        lastTimestamp = next
        return next
    }
}
