/// Where the gate stands.
public enum GateState: Equatable, Sendable {
    /// No request outstanding; terminal phase not allowed.
    case idle
    /// A request was emitted and awaits a signed approval.
    case pending(ApprovalRequest)
    /// Approved by `approvedBy`; the vehicle flies the terminal approach to `request.point`.
    case terminal(ApprovalRequest, approvedBy: OperatorKeyID)
    /// Left the terminal phase; climbing back to the loiter. A new request is possible once the loiter is
    /// re-established.
    case wavingOff(ApprovalRequest)

    public var kind: GateStateKind {
        switch self {
        case .idle: .idle
        case .pending: .pending
        case .terminal: .terminal
        case .wavingOff: .wavingOff
        }
    }

    /// The request the state refers to, if any.
    public var request: ApprovalRequest? {
        switch self {
        case .idle: nil
        case .pending(let r), .terminal(let r, _), .wavingOff(let r): r
        }
    }
}

public enum GateStateKind: UInt8, Sendable, CustomStringConvertible {
    case idle, pending, terminal, wavingOff
    public var description: String {
        switch self {
        case .idle: "idle"
        case .pending: "pending"
        case .terminal: "terminal"
        case .wavingOff: "waving off"
        }
    }
}
