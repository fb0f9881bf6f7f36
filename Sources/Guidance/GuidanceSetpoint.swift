import FlightMath

/// Navigation state guidance needs each tick (from the estimator). NED, metres and m/s.
public struct GuidanceState: Sendable, Equatable {
    public var positionNEDM: Vector3
    /// Ground velocity.
    public var velocityNEDMps: Vector3
    /// Estimated wind (velocity of the air mass); only north and east are used.
    public var windNEDMps: Vector3
    public var airspeedMps: Double

    public init(positionNEDM: Vector3, velocityNEDMps: Vector3, windNEDMps: Vector3 = .zero, airspeedMps: Double) {
        self.positionNEDM = positionNEDM; self.velocityNEDMps = velocityNEDMps
        self.windNEDMps = windNEDMps; self.airspeedMps = airspeedMps
    }

    public var heightM: Double { -positionNEDM.z }
}

public enum GuidanceMode: UInt8, Sendable {
    case waypoints = 0
    case loiter = 1
    case returnToLaunch = 2
    case approach = 3
}

/// What guidance asks of Control this tick, and the numbers the log and figures need.
public struct GuidanceSetpoint: Sendable, Equatable {
    public var rollSetpointRad: Double
    /// Up-positive height in the local frame (−down).
    public var heightSetpointM: Double
    public var airspeedSetpointMps: Double
    /// Ground course the path follower is steering to (from north, clockwise).
    public var courseSetpointRad: Double
    /// Signed distance from the path, positive when the vehicle is right of the path direction.
    public var crossTrackErrorM: Double
    public var lateralAccelerationMps2: Double
    /// 1 when the airspeed can hold the wanted bearing against the wind, falling to 0 when it cannot.
    public var bearingFeasibility: Double
    public var mode: GuidanceMode
    /// Horizontal distance to the end of the current leg (waypoint, home, approach target); 0 on an orbit.
    public var distanceToGoM: Double
    /// Index of the waypoint being flown to (waypoint mode), otherwise 0.
    public var legIndex: Int
}
