#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// CPU time the calling thread has used, for the per-thread lines of the exit report.
enum ThreadCPUTime {
    static func nowUs() -> UInt64 {
        var ts = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 else { return 0 }
        return UInt64(ts.tv_sec) &* 1_000_000 &+ UInt64(ts.tv_nsec) / 1000
    }
}

/// The wall clock (CLOCK_REALTIME): names log files and dates MAVLink signatures. Never used for scheduling.
enum WallTime {
    static func unixSeconds() -> Int64 { Int64(unixMicroseconds() / 1_000_000) }

    static func unixMicroseconds() -> UInt64 {
        var ts = timespec()
        guard clock_gettime(CLOCK_REALTIME, &ts) == 0, ts.tv_sec > 0 else { return 0 }
        return UInt64(ts.tv_sec) &* 1_000_000 &+ UInt64(ts.tv_nsec) / 1000
    }
}

extension RealtimeSetup {
    /// One line: what the real-time thread got.
    var summary: String {
        func word(_ o: Outcome) -> String {
            switch o {
            case .granted: "yes"
            case .notRequested: "not requested"
            case .refused: "refused"
            }
        }
        return "SCHED_FIFO \(schedFIFO == .granted ? "\(priority)" : word(schedFIFO)), mlockall \(word(memoryLocked)), "
            + "CPU \(cpuAffinity == .granted ? cpu.map(String.init) ?? "-" : word(cpuAffinity))"
    }
}
