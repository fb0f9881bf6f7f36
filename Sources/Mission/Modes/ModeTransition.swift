/// Why the mode changed. Every transition carries one, and the machine records each in its log.
public enum TransitionReason: Equatable, Sendable, CustomStringConvertible {
    case armed
    case disarmed
    case launchDetected
    case launchHeightReached
    case missionStarted
    case missionComplete
    case operatorHold
    case operatorReturnToLaunch
    case terminalRequested
    case approved(OperatorKeyID)
    case waveOff(OperatorKeyID)
    case loiterReestablished
    case requestEnded(GateExitReason)
    case failsafe(GateFailure)
    case navigationRecovered

    public var description: String {
        switch self {
        case .armed: "armed"
        case .disarmed: "disarmed"
        case .launchDetected: "launch detected"
        case .launchHeightReached: "launch height reached"
        case .missionStarted: "mission started"
        case .missionComplete: "mission complete"
        case .operatorHold: "operator: hold"
        case .operatorReturnToLaunch: "operator: return to launch"
        case .terminalRequested: "terminal requested: approval request issued"
        case .approved(let k): "approved by operator key \(k)"
        case .waveOff(let k): "wave-off by operator key \(k)"
        case .loiterReestablished: "loiter re-established after wave-off"
        case .requestEnded(let r): "approval request ended: \(r)"
        case .failsafe(let f): "failsafe: \(f)"
        case .navigationRecovered: "navigation recovered"
        }
    }
}

public struct ModeTransition: Equatable, Sendable {
    public var timeUs: UInt64
    public var from: FlightMode
    public var to: FlightMode
    public var reason: TransitionReason
}

/// The last `capacity` transitions, in a ring allocated once.
public struct ModeTransitionLog: Sendable {
    public static let capacity = 128
    private var storage: [ModeTransition?]
    private var next = 0
    public private(set) var totalCount = 0

    public init() { storage = Array(repeating: nil, count: Self.capacity) }

    mutating func append(_ t: ModeTransition) {
        storage[next] = t
        next = (next + 1) % Self.capacity
        totalCount += 1
    }

    public var last: ModeTransition? {
        totalCount == 0 ? nil : storage[(next - 1 + Self.capacity) % Self.capacity]
    }

    /// Oldest first.
    public var records: [ModeTransition] {
        let n = min(totalCount, Self.capacity)
        let start = (next - n + Self.capacity) % Self.capacity
        return (0..<n).compactMap { storage[(start + $0) % Self.capacity] }
    }
}
