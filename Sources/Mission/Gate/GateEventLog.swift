import FlightMath

/// The outcome of one event, as recorded.
public enum GateOutcome: UInt8, Sendable {
    case none, requestEmitted, terminalEntered, terminalLeft, requestCancelled, terminalContinued, rejected
}

extension GateOutcome: FixedTextWritable {
    /// The case name, as the log's gate text messages print it.
    public var logName: StaticString {
        switch self {
        case .none: "none"
        case .requestEmitted: "requestEmitted"
        case .terminalEntered: "terminalEntered"
        case .terminalLeft: "terminalLeft"
        case .requestCancelled: "requestCancelled"
        case .terminalContinued: "terminalContinued"
        case .rejected: "rejected"
        }
    }

    public func write(to text: inout FixedText) { text.append(logName) }
}

/// One entry of the gate's audit trail.
public struct GateLogRecord: Equatable, Sendable {
    /// The gate's time (UTC µs on a vehicle; request expiries are in it).
    public var timeUs: UInt64
    /// The vehicle's monotonic clock at the event, for ordering against mode transitions and log timestamps.
    public var vehicleTimeUs: UInt64
    public var event: GateEventKind
    public var outcome: GateOutcome
    public var rejection: GateRejection?
    public var exitReason: GateExitReason?
    public var failsafe: FailsafeAction?
    /// The failure raised or cleared, for failure events.
    public var failure: GateFailure?
    /// The operator key of an approval or wave-off (even a rejected one), `.none` otherwise.
    public var keyID: OperatorKeyID
    /// Sequence number of the request concerned, 0 if none.
    public var requestSequence: UInt32
    public var stateBefore: GateStateKind
    public var stateAfter: GateStateKind

    public static let empty = GateLogRecord(
        timeUs: 0, vehicleTimeUs: 0, event: .tick, outcome: .none, rejection: nil, exitReason: nil, failsafe: nil, failure: nil,
        keyID: .none, requestSequence: 0, stateBefore: .idle, stateAfter: .idle)
}

/// Fixed-capacity ring of the most recent gate records. Appending never allocates; when full the oldest record is
/// overwritten, and `totalRecorded` tells a reader (the log writer thread, after copying the gate state) how many
/// it missed.
public struct GateEventLog: Sendable {
    public static let capacity = 256
    private var records = InlineArray<256, GateLogRecord>(repeating: .empty)
    /// Records appended since start, including overwritten ones. Record number n (0-based) is the n-th appended.
    public private(set) var totalRecorded: UInt64 = 0

    public init() {}

    public var count: Int { Int(min(totalRecorded, UInt64(Self.capacity))) }

    mutating func append(_ record: GateLogRecord) {
        records[Int(totalRecorded % UInt64(Self.capacity))] = record
        totalRecorded &+= 1
    }

    /// Record number `number` if it is still held.
    public func record(number: UInt64) -> GateLogRecord? {
        guard number < totalRecorded, totalRecorded - number <= UInt64(Self.capacity) else { return nil }
        return records[Int(number % UInt64(Self.capacity))]
    }

    public var latest: GateLogRecord? { totalRecorded == 0 ? nil : record(number: totalRecorded - 1) }

    /// Held records, oldest first (allocates; for tools and tests).
    public var retained: [GateLogRecord] {
        (totalRecorded - UInt64(count)..<totalRecorded).compactMap { record(number: $0) }
    }
}
