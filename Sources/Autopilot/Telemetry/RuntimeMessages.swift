import FlightLog
import MAVLink

/// What the telemetry thread hands the real-time thread: one operator command or approval from the ground link,
/// numbered so the reply can be matched. Fixed size, no references: it crosses threads by plain copy.
public struct OperatorRequest: Sendable {
    public enum Kind: Sendable {
        case command(VehicleCommand)
        case approval(LinkApproval)
        /// MISSION_SET_CURRENT.
        case setCurrentMissionItem(Int)
    }

    public var sequence: UInt32
    public var kind: Kind

    public init(sequence: UInt32, kind: Kind) {
        self.sequence = sequence
        self.kind = kind
    }
}

/// The real-time thread's answer to an `OperatorRequest`: the COMMAND_ACK result and, for a refusal, its reason
/// as STATUSTEXT-sized text (cut to 50 bytes).
public struct OperatorReply: Sendable {
    public var sequence: UInt32
    public var result: MAVResult
    public var refusal: MAVArray<50, UInt8>
    public var hasRefusal: Bool

    public init(sequence: UInt32, result: MAVResult, refusal: String? = nil) {
        self.sequence = sequence
        self.result = result
        self.refusal = MAVArray(text: refusal ?? "")
        self.hasRefusal = refusal != nil
    }
}

/// Wake-up jitter and tick execution time over one report window (1 s), plus the run's counters: what the
/// real-time thread tells the telemetry thread (STATUSTEXT) and writes to the log. The log topic itself, so the
/// two cannot drift apart.
public typealias RuntimeTimingSample = KestrelTiming

extension KestrelTiming {
    /// One STATUSTEXT line (≤ 50 bytes): `rt j14/142/281 x227 o0 q0` = wake-up jitter p50/p99/max µs, tick
    /// execution p99 µs, tick overruns, ring overflows; each figure capped at 999999.
    public var statusText: String {
        func f<T: BinaryInteger>(_ v: T) -> String { v > 999_999 ? "999999" : "\(v)" }
        return "rt j\(f(jitterP50Us))/\(f(jitterP99Us))/\(f(jitterMaxUs)) x\(f(executionP99Us)) o\(f(tickOverruns))"
            + " q\(f(ringOverflows))"
    }
}
