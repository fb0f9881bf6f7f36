/// The time since a task's previous run, from the tick timestamps (CLOCK_MONOTONIC in flight, simulated time in
/// SITL), for the control laws' integrators and derivatives: a late tick integrates over the time that really
/// passed, not over 1/rate. Clamped to 0.5…2 × the nominal period, so a stall (or the first run) cannot inject a
/// huge step; each clamp is counted. On simulated time every run is exactly one nominal period apart, so SITL
/// runs are unchanged to the last bit (µs / 1e6 and 1 / rate round to the same double).
public struct MeasuredPeriod: Sendable, Equatable {
    public let nominalS: Double
    public private(set) var lastUs: UInt64?
    /// Runs whose measured period fell outside 0.5…2 × nominal and was clamped.
    public private(set) var clampedCount: UInt64 = 0

    public init(rateHz: Double) { nominalS = 1 / rateHz }

    /// The period ending at `nowUs`; the nominal one on the first run or when time did not advance.
    public mutating func update(nowUs: UInt64) -> Double {
        defer { lastUs = nowUs }
        guard let last = lastUs, nowUs > last else { return nominalS }
        let measured = Double(nowUs - last) / 1e6
        if measured < 0.5 * nominalS {
            clampedCount &+= 1
            return 0.5 * nominalS
        }
        if measured > 2 * nominalS {
            clampedCount &+= 1
            return 2 * nominalS
        }
        return measured
    }

    /// Forget the last run (a loop that restarts from rest).
    public mutating func reset() { lastUs = nil }
}
