import FlightMath

/// Conditions that forbid entering the terminal phase and end it above the abort floor.
public enum GateFailure: UInt8, CaseIterable, Sendable, CustomStringConvertible, FixedTextWritable {
    case linkLoss = 0
    case estimator = 1
    case gps = 2
    case geofence = 3
    case battery = 4

    public var description: String { logName.description }

    /// The order the mode machine acts on failures that appear in the same tick.
    public static let checkOrder: [GateFailure] = [.linkLoss, .gps, .estimator, .geofence, .battery]

    public var logName: StaticString {
        switch self {
        case .linkLoss: "link loss"
        case .estimator: "estimator failure"
        case .gps: "GPS failure"
        case .geofence: "geofence breach"
        case .battery: "low battery"
        }
    }

    public func write(to text: inout FixedText) { text.append(logName) }
}

/// The failures currently active, as a bit set (no allocation).
public struct GateFailureSet: Equatable, Sendable {
    public private(set) var bits: UInt8 = 0
    public init() {}
    public var isEmpty: Bool { bits == 0 }
    public func contains(_ f: GateFailure) -> Bool { bits & (1 << f.rawValue) != 0 }
    public mutating func insert(_ f: GateFailure) { bits |= 1 << f.rawValue }
    public mutating func remove(_ f: GateFailure) { bits &= ~(1 << f.rawValue) }
}

/// What the vehicle does after the gate drops a request or leaves the terminal phase because of a failure.
public enum FailsafeAction: UInt8, Sendable, CustomStringConvertible {
    /// Climb back to (or stay in) the loiter over the designation.
    case loiter = 0
    /// Return to launch.
    case returnToLaunch = 1

    public var description: String { self == .loiter ? "loiter" : "return to launch" }
}
