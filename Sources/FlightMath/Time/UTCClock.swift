/// UTC on the vehicle: the monotonic vehicle clock plus the offset the latest GPS fix with a resolved time gave.
/// Between fixes (and after the receiver is lost) it runs on the monotonic clock, which drifts by ppm, so a
/// request lifetime of minutes stays accurate to well under a millisecond.
///
/// Receiver latency makes each offset a few milliseconds uncertain; the approval gate only needs seconds.
public struct UTCClock: Sendable, Equatable {
    /// UTC minus vehicle time, µs; nil until the first fix with UTC.
    public private(set) var offsetUs: Int64?
    /// Vehicle time of the fix that last set the offset.
    public private(set) var lastSyncVehicleUs: UInt64 = 0

    public init() {}

    public var isSynchronised: Bool { offsetUs != nil }

    /// Takes the offset from a fix stamped `vehicleUs` (its measurement time on the vehicle clock) at `utcUnixUs`.
    /// Ignores times before 2020, which only a receiver that has not resolved its week number reports.
    public mutating func synchronise(vehicleUs: UInt64, utcUnixUs: UInt64) {
        guard utcUnixUs >= Self.earliestPlausibleUnixUs, utcUnixUs < UInt64(Int64.max),
              vehicleUs < UInt64(Int64.max) else { return }
        offsetUs = Int64(utcUnixUs) - Int64(vehicleUs)
        lastSyncVehicleUs = vehicleUs
    }

    /// UTC at vehicle time `vehicleUs`, nil while unsynchronised.
    public func utcUs(atVehicleUs vehicleUs: UInt64) -> UInt64? {
        guard let offsetUs, vehicleUs < UInt64(Int64.max) else { return nil }
        let (utc, overflow) = Int64(vehicleUs).addingReportingOverflow(offsetUs)
        return overflow || utc < 0 ? nil : UInt64(utc)
    }

    /// 2020-01-01T00:00:00Z.
    public static let earliestPlausibleUnixUs: UInt64 = 1_577_836_800_000_000
}
