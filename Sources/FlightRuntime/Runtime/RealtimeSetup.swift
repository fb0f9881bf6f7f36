import CLinuxRT
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the real-time thread asked the kernel for, and what it got. The daemon logs each line and flies on with a
/// warning where it was refused (an unprivileged bench run, a container without CAP_SYS_NICE).
public struct RealtimeSetup: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case granted
        case notRequested
        case refused(errno: Int32, reason: String)
    }

    public var schedFIFO: Outcome = .notRequested
    public var memoryLocked: Outcome = .notRequested
    public var cpuAffinity: Outcome = .notRequested
    public var priority: Int32 = 0
    public var cpu: Int? = nil

    /// Lines for the log, one per request, warnings spelt out with the fix.
    public var logLines: [String] {
        func line(_ what: String, _ o: Outcome, fix: String) -> String {
            switch o {
            case .granted: return "real-time: \(what): granted"
            case .notRequested: return "real-time: \(what): not requested"
            case .refused(let e, let reason):
                return "real-time: WARNING \(what) refused (errno \(e): \(reason)); flying without it. \(fix)"
            }
        }
        return [
            line("SCHED_FIFO priority \(priority)", schedFIFO,
                 fix: "Run as root, or grant CAP_SYS_NICE / LimitRTPRIO in the systemd unit."),
            line("mlockall", memoryLocked, fix: "Grant CAP_IPC_LOCK or raise LimitMEMLOCK in the systemd unit."),
            line("CPU affinity \(cpu.map(String.init) ?? "-")", cpuAffinity,
                 fix: "Check the CPU index exists (nproc) and is not excluded by the cpuset."),
        ]
    }

    /// Applies the requests to the calling thread. Call it on the real-time thread itself, before its loop.
    public static func apply(fifoPriority: Int32?, lockMemory: Bool, cpu: Int?) -> RealtimeSetup {
        var r = RealtimeSetup()
        #if os(Linux)
        if let prio = fifoPriority {
            r.priority = prio
            var param = sched_param()
            param.sched_priority = prio
            let rc = pthread_setschedparam(pthread_self(), Int32(SCHED_FIFO), &param)
            r.schedFIFO = rc == 0 ? .granted : .refused(errno: rc, reason: describe(rc))
        }
        if lockMemory {
            let rc = mlockall(Int32(MCL_CURRENT | MCL_FUTURE))
            r.memoryLocked = rc == 0 ? .granted : .refused(errno: errno, reason: describe(errno))
        }
        if let cpu {
            r.cpu = cpu
            let rc = kestrel_pin_thread_to_cpu(Int32(clamping: cpu))
            r.cpuAffinity = rc == 0 ? .granted : .refused(errno: rc, reason: describe(rc))
        }
        #endif
        return r
    }

    private static func describe(_ e: Int32) -> String {
        guard let s = strerror(e) else { return "error \(e)" }
        return String(cString: s)
    }
}
