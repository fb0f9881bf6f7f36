import FlightMath

/// Why the gate refused a request, an approval or a wave-off.
public enum GateRejection: UInt8, Sendable, CaseIterable, CustomStringConvertible, FixedTextWritable {
    // Approvals and wave-offs.
    case unsigned, unknownKey, badSignature, otherVehicle, replayed, notPending, otherNonce, otherDesignation,
        otherExpiry, expired
    // Requests.
    case notLoiteringOverDesignation, failureActive, terminalInProgress, climbingBack, noEntropy
    /// Appended last: raw values are on the wire (TERMINAL_STATUS) and in logs.
    case noTimeBase
    /// A wave-off below the abort floor: the approach is committed and continues.
    case belowAbortFloor

    public var description: String { logName.description }

    public var logName: StaticString {
        switch self {
        case .unsigned: "unsigned (all-zero signature)"
        case .unknownKey: "signed by a key that is not in the authorised-operator key file"
        case .badSignature: "signature does not verify"
        case .otherVehicle: "addressed to another vehicle"
        case .replayed: "nonce already used by an accepted approval (replay)"
        case .notPending: "no request is pending"
        case .otherNonce: "answers another request (stale nonce)"
        case .otherDesignation: "approves another designated point"
        case .otherExpiry: "quotes another expiry time than the request"
        case .expired: "arrived after the request expired"
        case .notLoiteringOverDesignation: "vehicle is not loitering over the designation"
        case .failureActive: "a failure is active"
        case .terminalInProgress: "terminal phase already in progress"
        case .climbingBack: "vehicle is still climbing back to the loiter after leaving the terminal phase"
        case .noEntropy: "no random nonce available"
        case .noTimeBase: "no UTC time from GPS yet, so the request could not carry an expiry the operator shares"
        case .belowAbortFloor: "below the abort floor: the approach is committed and continues"
        }
    }

    public func write(to text: inout FixedText) { text.append(logName) }
}

/// Why a request was dropped or the terminal phase was left (or, below the floor, why it would have been).
public enum GateExitReason: Equatable, Sendable, CustomStringConvertible, FixedTextWritable {
    case waveOff
    case failure(GateFailure)
    case designationChanged
    case loiterLost
    case requestExpired
    case terminalFinished
    /// The mode machine flew another mode (operator hold, reposition or RTL, or a failsafe).
    case modeChanged

    public var description: String { FixedText(self).string }

    public func write(to text: inout FixedText) {
        switch self {
        case .waveOff: text.append("wave-off")
        case .failure(let f): text.append(f)
        case .designationChanged: text.append("designation changed")
        case .loiterLost: text.append("left the loiter")
        case .requestExpired: text.append("request expired")
        case .terminalFinished: text.append("terminal phase finished")
        case .modeChanged: text.append("mode changed")
        }
    }
}

/// What the gate tells the flight-mode machine and the link after one event.
public enum GateDecision: Equatable, Sendable {
    /// Nothing to do.
    case none
    /// Send this approval request to the operator.
    case emitRequest(ApprovalRequest)
    /// Enter the terminal phase against `request.point`.
    case enterTerminal(ApprovalRequest)
    /// Leave the terminal phase: climb back to the loiter (`.loiter`) or return to launch.
    case leaveTerminal(GateExitReason, then: FailsafeAction)
    /// The pending request is void. `then` is a failsafe action when a failure caused it, nil otherwise (keep
    /// loitering).
    case cancelRequest(GateExitReason, then: FailsafeAction?)
    /// Below the abort floor: the approach continues although `reason` would otherwise end it.
    case continueTerminal(GateExitReason)
    case reject(GateRejection)
}
