import FlightMath

/// What the rest of the vehicle tells the gate. The time of every event is passed alongside it (`nowUs`).
public enum GateEvent: Sendable {
    /// The operator asked for the terminal phase. `loiteringOverDesignation` is the flight-mode machine's word that
    /// the vehicle is established in the loiter over `designation`.
    case requestTerminal(designation: DesignatedPoint, loiteringOverDesignation: Bool)
    /// A signed operator decision from the link: an approval, or a wave-off (`decision == .waveOff`).
    case approvalReceived(Approval)
    /// Periodic update with the height above ground used for the abort floor (non-finite: unknown).
    case tick(altitudeAGLM: Double)
    case failure(GateFailure)
    case failureCleared(GateFailure)
    case designationChanged(DesignatedPoint)
    /// The vehicle left the loiter over the designation (mode change, re-tasking).
    case loiterLost
    /// The vehicle is back in the loiter after a wave-off climb.
    case loiterEstablished
    /// The flight-mode machine ended the terminal phase itself (arrival, or a mode change below the floor).
    case terminalFinished
    /// The flight-mode machine switched to a mode that is not the gate state's counterpart (an operator hold,
    /// reposition or RTL out of the terminal phase or the wave-off climb, or a failsafe that flies its own orbit):
    /// the gate follows it to idle, so the two never disagree. It only ever moves the gate towards idle.
    case leftByModeChange
}

/// The kind of an event, for log records.
public enum GateEventKind: UInt8, Sendable {
    case requestTerminal, approval, waveOff, tick, failure, failureCleared, designationChanged, loiterLost,
        loiterEstablished, terminalFinished
    /// Appended last: raw values are in logs.
    case leftByModeChange
}

extension GateEventKind: FixedTextWritable {
    /// The case name, as the log's gate text messages print it.
    public var logName: StaticString {
        switch self {
        case .requestTerminal: "requestTerminal"
        case .approval: "approval"
        case .waveOff: "waveOff"
        case .tick: "tick"
        case .failure: "failure"
        case .failureCleared: "failureCleared"
        case .designationChanged: "designationChanged"
        case .loiterLost: "loiterLost"
        case .loiterEstablished: "loiterEstablished"
        case .terminalFinished: "terminalFinished"
        case .leftByModeChange: "leftByModeChange"
        }
    }

    public func write(to text: inout FixedText) { text.append(logName) }
}

extension GateEvent {
    public var kind: GateEventKind {
        switch self {
        case .requestTerminal: .requestTerminal
        case .approvalReceived(let a): a.decision == .approve ? .approval : .waveOff
        case .tick: .tick
        case .failure: .failure
        case .failureCleared: .failureCleared
        case .designationChanged: .designationChanged
        case .loiterLost: .loiterLost
        case .loiterEstablished: .loiterEstablished
        case .terminalFinished: .terminalFinished
        case .leftByModeChange: .leftByModeChange
        }
    }
}
