import FlightMath

/// Why the mode changed. Every transition carries one, and the machine records each in its log.
public enum TransitionReason: Equatable, Sendable, CustomStringConvertible, FixedTextWritable {
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
    /// Entered the designation's exclusion volume outside the terminal phase (the geofence's action applies).
    case exclusionEntered

    public var description: String { FixedText(self).string }

    public func write(to text: inout FixedText) {
        switch self {
        case .armed: text.append("armed")
        case .disarmed: text.append("disarmed")
        case .launchDetected: text.append("launch detected")
        case .launchHeightReached: text.append("launch height reached")
        case .missionStarted: text.append("mission started")
        case .missionComplete: text.append("mission complete")
        case .operatorHold: text.append("operator: hold")
        case .operatorReturnToLaunch: text.append("operator: return to launch")
        case .terminalRequested: text.append("terminal requested: approval request issued")
        case .approved(let k): text.append("approved by operator key "); text.append(k)
        case .waveOff(let k): text.append("wave-off by operator key "); text.append(k)
        case .loiterReestablished: text.append("loiter re-established after wave-off")
        case .requestEnded(let r): text.append("approval request ended: "); text.append(r)
        case .failsafe(let f): text.append("failsafe: "); text.append(f)
        case .navigationRecovered: text.append("navigation recovered")
        case .exclusionEntered: text.append("failsafe: entered the designation's exclusion volume without approval")
        }
    }
}

public struct ModeTransition: Equatable, Sendable {
    public var timeUs: UInt64
    public var from: FlightMode
    public var to: FlightMode
    public var reason: TransitionReason

    public init(timeUs: UInt64, from: FlightMode, to: FlightMode, reason: TransitionReason) {
        self.timeUs = timeUs
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// The last `capacity` transitions, in a ring held inline: appending never allocates, and a copy of the machine
/// shares no buffer that a later append would have to copy (no copy-on-write on the real-time thread).
public struct ModeTransitionLog: Sendable {
    public static let capacity = 128
    private var storage = InlineArray<128, ModeTransition>(
        repeating: ModeTransition(timeUs: 0, from: .disarmed, to: .disarmed, reason: .disarmed))
    private var next = 0
    public private(set) var totalCount = 0

    public init() {}

    mutating func append(_ t: ModeTransition) {
        storage[next] = t
        next = (next + 1) % Self.capacity
        totalCount += 1
    }

    public var last: ModeTransition? {
        totalCount == 0 ? nil : storage[(next - 1 + Self.capacity) % Self.capacity]
    }

    /// Transitions still held: the last `min(totalCount, capacity)`.
    public var retainedCount: Int { min(totalCount, Self.capacity) }

    /// Transition number `number` (0-based, in order of appending) if it is still held; no allocation, for the
    /// real-time thread.
    public func transition(number: Int) -> ModeTransition? {
        guard number >= 0, number < totalCount, totalCount - number <= Self.capacity else { return nil }
        return storage[number % Self.capacity]
    }

    /// Oldest first (allocates; for tools and tests).
    public var records: [ModeTransition] {
        (totalCount - retainedCount..<totalCount).compactMap { transition(number: $0) }
    }
}
