import FlightMath

/// One mission waypoint in the local NED frame.
public struct Waypoint: Sendable, Equatable {
    public var positionNEDM: Vector3
    /// nil takes `GuidanceConfig.acceptanceRadiusM`.
    public var acceptanceRadiusM: Double?
    /// nil takes `GuidanceConfig.cruiseAirspeedMps`.
    public var airspeedMps: Double?

    public init(positionNEDM: Vector3, acceptanceRadiusM: Double? = nil, airspeedMps: Double? = nil) {
        self.positionNEDM = positionNEDM
        self.acceptanceRadiusM = acceptanceRadiusM
        self.airspeedMps = airspeedMps
    }
}

/// A rejected waypoint list edit.
public enum WaypointListError: Error, CustomStringConvertible, Equatable {
    case full(capacity: Int)
    case notFinite(index: Int)

    public var description: String {
        switch self {
        case .full(let capacity): return "waypoint list is full (\(capacity) waypoints at most)"
        case .notFinite(let index): return "waypoint \(index) has a non-finite coordinate"
        }
    }
}

/// Up to 64 waypoints in fixed inline storage, so a mission lives without heap allocation.
public struct WaypointList: Sendable {
    public static let capacity = 64
    private var storage = InlineArray<64, Waypoint>(repeating: Waypoint(positionNEDM: .zero))
    public private(set) var count = 0

    public init() {}

    public init(_ waypoints: [Waypoint]) throws(WaypointListError) {
        for w in waypoints { try append(w) }
    }

    public mutating func append(_ waypoint: Waypoint) throws(WaypointListError) {
        guard count < Self.capacity else { throw .full(capacity: Self.capacity) }
        guard waypoint.positionNEDM.isFinite else { throw .notFinite(index: count) }
        storage[count] = waypoint
        count += 1
    }

    public mutating func removeAll() { count = 0 }

    public var isEmpty: Bool { count == 0 }

    public subscript(safe index: Int) -> Waypoint? {
        guard index >= 0, index < count else { return nil }
        return storage[index]
    }
}
