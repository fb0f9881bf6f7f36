import ConfigFiles
import FlightMath
import Mission

/// The flight stack's tables of a mission file (and of a SITL scenario, which carries the same tables): the
/// geofence and the failsafe policy.
///
///     [geofence]
///     floor_m = -10                     # above home
///     ceiling_m = 300
///     polygon_deg = [[47.39, 8.53], [47.39, 8.56], [47.41, 8.56], [47.41, 8.53]]
///     [failsafe]
///     link_loss_timeout_s = 10
///     link_loss_action = "rtl"          # rtl | loiter
///     geofence_action = "rtl"
///     approach_flight_path_angle_deg = 12
///     abort_floor_m = 30
///     exclusion_radius_m = 250          # around the designation: only an approved terminal phase may enter
///     exclusion_height_m = 60           # … below this height above the designation
public struct GeofenceSection: Decodable, Sendable {
    public var floorM: Double
    public var ceilingM: Double
    public var polygonDeg: [[Double]]
    enum CodingKeys: String, CodingKey { case floorM = "floor_m", ceilingM = "ceiling_m", polygonDeg = "polygon_deg" }

    public func fence() throws(ConfigValueErrorBox) -> MissionSetup.Fence {
        var points: [MissionSetup.Fence.LatLon] = []
        for (i, p) in polygonDeg.enumerated() {
            guard p.count == 2 else {
                throw ConfigValueErrorBox("geofence.polygon_deg[\(i)]: expected [latitude, longitude]")
            }
            points.append(.init(latitude: p[0], longitude: p[1]))
        }
        return MissionSetup.Fence(polygonDeg: points, floorM: floorM, ceilingM: ceilingM)
    }
}

public struct FailsafeSection: Decodable, Sendable {
    public var policy: FailsafePolicy
    /// Whether the file gave `low_battery_v` (otherwise SITL derives it from the airframe's cell count).
    public var lowBatteryVoltageSet: Bool

    enum CodingKeys: String, CodingKey {
        case linkLossTimeoutS = "link_loss_timeout_s", linkLossAction = "link_loss_action"
        case geofenceAction = "geofence_action", lowBatteryV = "low_battery_v", lowBatteryAction = "low_battery_action"
        case approachAngleDeg = "approach_flight_path_angle_deg", abortFloorM = "abort_floor_m"
        case exclusionRadiusM = "exclusion_radius_m", exclusionHeightM = "exclusion_height_m"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func action(_ key: CodingKeys, _ fallback: FailsafeAction) throws -> FailsafeAction {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return fallback }
            switch text {
            case "rtl": return .returnToLaunch
            case "loiter": return .loiter
            default: throw c.invalid(key, "'\(text)' is not an action; expected \"rtl\" or \"loiter\"")
            }
        }
        var p = FailsafePolicy()
        p.linkLossTimeoutUs = UInt64(try c.tunable(.linkLossTimeoutS, default: 10, in: 1...600, unit: "s") * 1e6)
        p.linkLossAction = try action(.linkLossAction, p.linkLossAction)
        p.geofenceAction = try action(.geofenceAction, p.geofenceAction)
        p.lowBatteryAction = try action(.lowBatteryAction, p.lowBatteryAction)
        lowBatteryVoltageSet = c.contains(.lowBatteryV)
        p.lowBatteryVoltageV = try c.tunable(.lowBatteryV, default: p.lowBatteryVoltageV, in: 0...60, unit: "V")
        p.approachFlightPathAngleRad = try c.tunable(.approachAngleDeg, default: 12, in: 3...30, unit: "deg")
            * Double.pi / 180
        p.abortFloorAboveTargetM = try c.tunable(.abortFloorM, default: 30, in: 5...200, unit: "m")
        p.terminalExclusion.radiusM = try c.tunable(
            .exclusionRadiusM, default: TerminalExclusion.defaultRadiusM, in: TerminalExclusion.radiusRangeM, unit: "m")
        p.terminalExclusion.heightAboveDesignationM = try c.tunable(
            .exclusionHeightM, default: TerminalExclusion.defaultHeightAboveDesignationM,
            in: TerminalExclusion.heightRangeM, unit: "m")
        policy = p
    }
}

/// A semantic error in the scenario's autopilot sections.
public struct ConfigValueErrorBox: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
