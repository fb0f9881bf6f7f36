#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The vehicle's monotonic time base, injected so that SITL and tests can run on simulated time.
public protocol MonotonicClock: AnyObject, Sendable {
    /// Microseconds since an arbitrary fixed origin; never goes backwards.
    func nowUs() -> UInt64
    /// Waits at least `durationUs`. Only used during device start-up (resets, oscillator settling), never per tick.
    func sleep(durationUs: UInt64)
}

/// CLOCK_MONOTONIC; the same clock the kernel uses for GPIO edge timestamps (Linux ≥ 5.7).
public final class SystemMonotonicClock: MonotonicClock {
    public init() {}

    public func nowUs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(truncatingIfNeeded: ts.tv_sec) &* 1_000_000 &+ UInt64(truncatingIfNeeded: ts.tv_nsec / 1_000)
    }

    /// Nanoseconds, for timing task bodies.
    @inline(__always)
    public static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(truncatingIfNeeded: ts.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: ts.tv_nsec)
    }

    /// Sleeps until the absolute time `deadlineUs` on this clock (TIMER_ABSTIME: the call's own latency does not
    /// accumulate into drift, which is what the real-time loop needs). Returns at once if the deadline has passed.
    public func sleep(untilUs deadlineUs: UInt64) {
        var ts = timespec(
            tv_sec: Int(truncatingIfNeeded: deadlineUs / 1_000_000),
            tv_nsec: Int(truncatingIfNeeded: (deadlineUs % 1_000_000) * 1_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    public func sleep(durationUs: UInt64) {
        var request = timespec(
            tv_sec: Int(truncatingIfNeeded: durationUs / 1_000_000),
            tv_nsec: Int(truncatingIfNeeded: (durationUs % 1_000_000) * 1_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}

/// A clock that only moves when told to: for tests and for lockstep simulation. `sleep` advances it.
/// Not thread-safe on purpose: lockstep simulation and tests drive it from one thread.
public final class ManualClock: MonotonicClock, @unchecked Sendable {
    public private(set) var currentUs: UInt64

    public init(startUs: UInt64 = 0) { currentUs = startUs }

    public func nowUs() -> UInt64 { currentUs }
    public func sleep(durationUs: UInt64) { currentUs &+= durationUs }
    public func advance(byUs durationUs: UInt64) { currentUs &+= durationUs }
    public func set(toUs timeUs: UInt64) { currentUs = max(currentUs, timeUs) }
}
