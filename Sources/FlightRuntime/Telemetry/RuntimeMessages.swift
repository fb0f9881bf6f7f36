import FlightLog
import MAVLink
import Mission

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

/// The real-time thread's answer to an `OperatorRequest`: the COMMAND_ACK result and, for a refusal, why, as a
/// value (no text is made on the real-time thread; the telemetry thread turns it into STATUSTEXT).
public struct OperatorReply: Sendable {
    /// What a reply says besides its result.
    public enum Note: Equatable, Sendable, CustomStringConvertible {
        /// The flight stack refused the command.
        case refused(CommandRefusal)
        /// The flight stack refused an approval or wave-off.
        case approvalRefused(CommandRefusal)
        /// The link mapping refused the command before the flight stack saw it.
        case link(StaticString)
        case approvalPointOutOfRange
        /// A reposition was accepted without the target's altitude.
        case keepingCurrentHeight

        public var description: String {
            switch self {
            case .refused(let why): why.description
            case .approvalRefused(let why): "approval: \(why)"
            case .link(let why): why.description
            case .approvalPointOutOfRange: "approval: designated point out of range"
            case .keepingCurrentHeight: "reposition: keeping the current height"
            }
        }

        public static func == (a: Note, b: Note) -> Bool {
            switch (a, b) {
            case (.refused(let x), .refused(let y)), (.approvalRefused(let x), .approvalRefused(let y)): x == y
            case (.link(let x), .link(let y)): x.description == y.description
            case (.approvalPointOutOfRange, .approvalPointOutOfRange), (.keepingCurrentHeight, .keepingCurrentHeight):
                true
            default: false
            }
        }
    }

    public var sequence: UInt32
    public var result: MAVResult
    public var note: Note?
    /// The vehicle right after it took the request: a state that lasts a tick (the gate waving off) still
    /// reaches the ground station, which reports from it at once.
    public var after: VehicleSnapshot?

    public init(sequence: UInt32, result: MAVResult, note: Note? = nil, after: VehicleSnapshot? = nil) {
        self.sequence = sequence
        self.result = result
        self.note = note
        self.after = after
    }

    /// The note as STATUSTEXT text (allocates: telemetry thread).
    public var text: String? { note?.description }
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
