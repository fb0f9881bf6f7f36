#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// CLOCK_MONOTONIC in microseconds and nanoseconds, and an absolute sleep on it: the time base of the real-time loop.
public enum MonotonicClock {
    @inline(__always)
    public static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    @inline(__always)
    public static func nowUs() -> UInt64 { nowNs() / 1000 }

    /// Sleeps until the absolute monotonic time `deadlineUs` (TIMER_ABSTIME: no drift from the call's own
    /// latency). Returns at once if the deadline has passed; resumes after signals until the deadline.
    public static func sleep(untilUs deadlineUs: UInt64) {
        var ts = timespec()
        ts.tv_sec = Int(deadlineUs / 1_000_000)
        ts.tv_nsec = Int((deadlineUs % 1_000_000) * 1000)
        while true {
            let rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
            if rc != EINTR { return }
        }
    }
}
