/// Detects a real-time loop that stopped ticking. A supervisor thread samples the loop's tick counter; when it has
/// not advanced for `timeoutUs`, the watchdog trips once and the supervisor drives the outputs to their failsafe
/// values and stops feeding the systemd watchdog. Pure logic, time injected, so it is tested without threads.
public struct TickWatchdog: Sendable {
    public let timeoutUs: UInt64
    public private(set) var lastTick: UInt64 = 0
    public private(set) var lastProgressUs: UInt64
    public private(set) var tripped = false

    public init(timeoutUs: UInt64, startUs: UInt64) {
        self.timeoutUs = timeoutUs
        self.lastProgressUs = startUs
    }

    public enum Verdict: Equatable, Sendable {
        /// The loop advanced (or has not been silent long enough).
        case alive
        /// The loop has been silent for `silentUs`; act now (reported once).
        case trip(silentUs: UInt64)
        /// Still tripped; already acted.
        case stillTripped
        /// The loop advanced again after a trip.
        case recovered
    }

    public mutating func check(tickCount: UInt64, nowUs: UInt64) -> Verdict {
        if tickCount != lastTick {
            lastTick = tickCount
            lastProgressUs = nowUs
            if tripped {
                tripped = false
                return .recovered
            }
            return .alive
        }
        let silent = nowUs >= lastProgressUs ? nowUs - lastProgressUs : 0
        guard silent > timeoutUs else { return .alive }
        if tripped { return .stillTripped }
        tripped = true
        return .trip(silentUs: silent)
    }
}
