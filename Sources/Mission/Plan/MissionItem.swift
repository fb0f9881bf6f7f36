import FlightMath
import Guidance

/// A planned point: WGS-84 latitude/longitude and an altitude in metres above home (MAVLink's
/// GLOBAL_RELATIVE_ALT frame), which is what operators plan with and what the fence floor and ceiling use.
public struct MissionPoint: Sendable, Hashable {
    public var latitudeDeg: Double
    public var longitudeDeg: Double
    public var relativeAltitudeM: Double

    public init(latitudeDeg: Double, longitudeDeg: Double, relativeAltitudeM: Double) {
        self.latitudeDeg = latitudeDeg; self.longitudeDeg = longitudeDeg; self.relativeAltitudeM = relativeAltitudeM
    }

    /// The ellipsoid position of this point for a home at `home`.
    public func geodetic(home: Geodetic) -> Geodetic {
        Geodetic(latitudeDeg: latitudeDeg, longitudeDeg: longitudeDeg, altitudeM: home.altitudeM + relativeAltitudeM)
    }

    /// NED position relative to home, exact.
    public func ned(in frame: LocalFrame) -> Vector3 { frame.ned(of: geodetic(home: frame.origin)) }
}

/// One item of a mission plan.
public enum MissionItem: Sendable, Equatable {
    /// Catapult or hand launch: climb on the launch heading to `altitudeM` before the first waypoint.
    case launch(altitudeM: Double)
    case waypoint(position: MissionPoint, acceptanceRadiusM: Double)
    case loiter(center: MissionPoint, radiusM: Double, direction: OrbitDirection, exit: LoiterExit)
    case returnToLaunch

    public var kindName: String {
        switch self {
        case .launch: return "launch"
        case .waypoint: return "waypoint"
        case .loiter: return "loiter"
        case .returnToLaunch: return "rtl"
        }
    }

    /// The horizontal point the item flies to, if it has one.
    public var position: MissionPoint? {
        switch self {
        case .waypoint(let p, _): return p
        case .loiter(let c, _, _, _): return c
        case .launch, .returnToLaunch: return nil
        }
    }
}

/// The operator-designated point the terminal approach may go to, once approved.
public struct Designation: Sendable, Hashable {
    public var position: MissionPoint
    public init(position: MissionPoint) { self.position = position }
}
