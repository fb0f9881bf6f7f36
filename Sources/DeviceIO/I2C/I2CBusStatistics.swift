/// Counters a bus keeps so health monitoring can see a marginal bus before it fails outright.
public struct I2CBusStatistics: Hashable, Sendable {
    /// Transfers attempted (each retry counts as one more).
    public var attempts: UInt64 = 0
    /// Attempts that failed, whether or not a retry then succeeded.
    public var failedAttempts: UInt64 = 0
    /// Retries issued after a transient failure.
    public var retries: UInt64 = 0
    /// Transfers that failed after all retries and were reported to the caller.
    public var failedTransfers: UInt64 = 0
    /// Transfers refused without touching the bus while it counted as stalled after a timeout.
    public var skippedWhileStalled: UInt64 = 0

    public init() {}
}
