/// The gate's states as operators read them (tools' reports, the HIL operator's lines).
extension KestrelTerminalGateState: CustomStringConvertible {
    public var description: String {
        switch self {
        case .idle: "idle"
        case .pending: "pending"
        case .terminal: "terminal"
        case .wavingOff: "waving off"
        default: "state \(rawValue)"
        }
    }
}
