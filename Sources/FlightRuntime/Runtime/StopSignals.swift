#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SIGTERM and SIGINT handled synchronously: they are blocked in every thread (call `blockInProcess()` before any
/// thread starts, so new threads inherit the mask) and one waiter thread receives them with sigwait. The flight
/// loop then stops at a tick boundary, sets safe outputs and flushes the log, instead of dying mid-write.
public enum StopSignals {
    public static func blockInProcess() {
        var set = stopSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks the calling thread until SIGTERM or SIGINT arrives; returns the signal number.
    public static func wait() -> Int32 {
        var set = stopSet()
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        return signal
    }

    private static func stopSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }
}
