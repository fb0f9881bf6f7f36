import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a Linux I2C bus does after a failed transfer, so that the time a tick can spend on the bus stays bounded.
///
/// A NACK, lost arbitration or a protocol error comes back within one transfer time and is retried a few times.
/// A timeout is never retried: it costs the adapter's whole timeout (1 s by default on the Raspberry Pi's
/// controller, 10 ms once `LinuxI2CBus` has set `I2C_TIMEOUT`), and a bus that timed out is probably held low. For
/// `stallHoldoffUs` after one, every transfer on the bus fails at once with `.timedOut`, without touching it, so one
/// stuck device costs a tick at most one adapter timeout per hold-off, not one per transfer.
public struct I2CFailurePolicy: Sendable {
    public enum Next: Equatable, Sendable { case retry, fail }

    public let maxRetries: Int
    public let stallHoldoffUs: UInt64
    /// Until when the bus counts as stalled (monotonic µs); 0: not stalled.
    public private(set) var stalledUntilUs: UInt64 = 0

    public init(maxRetries: Int = 2, stallHoldoffUs: UInt64 = 200_000) {
        self.maxRetries = max(0, maxRetries)
        self.stallHoldoffUs = stallHoldoffUs
    }

    /// Whether a transfer at `nowUs` must fail without touching the bus.
    public func isStalled(nowUs: UInt64) -> Bool { nowUs < stalledUntilUs }

    /// After attempt number `attempt` (0 = the first) failed with `failure` at `nowUs`.
    public mutating func after(_ failure: Errno, attempt: Int, nowUs: UInt64) -> Next {
        if failure.rawValue == ETIMEDOUT {
            stalledUntilUs = nowUs &+ stallHoldoffUs
            return .fail
        }
        return attempt < maxRetries && Self.isQuickTransient(failure) ? .retry : .fail
    }

    /// Failures that come back within one transfer time and may not repeat: no acknowledge (EREMOTEIO, ENXIO, and
    /// ENODEV from i2c-stub), lost arbitration (EAGAIN), a bus or protocol error (EIO, EPROTO).
    public static func isQuickTransient(_ failure: Errno) -> Bool {
        switch failure.rawValue {
        case EREMOTEIO, ENXIO, ENODEV, EAGAIN, EIO, EPROTO: true
        default: false
        }
    }
}
