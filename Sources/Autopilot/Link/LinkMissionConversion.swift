import Guidance
import MAVLink
import Mission

/// Uploaded MAVLink mission items into the mission layer's plan items: what MAVLink leaves open (a radius of 0
/// meaning "the default", altitude frames) is decided here, the flight rules are the mission layer's.
enum LinkMissionConversion {
    static func missionFile(_ items: [LinkMissionItem], guidance: GuidanceConfig) throws(MissionRefusal)
        -> MissionFile
    {
        var plan: [MissionItem] = []
        var designation: MissionPoint?
        for (index, item) in items.enumerated() {
            func point() throws(MissionRefusal) -> MissionPoint {
                guard let p = item.position else {
                    throw MissionRefusal(result: .mavMissionInvalid, reason: "item \(index): no position")
                }
                // The vehicle has no geoid model, so an AMSL altitude cannot be related to home exactly.
                guard p.altitudeFrame == .relativeToHome else {
                    throw MissionRefusal(result: .mavMissionUnsupportedFrame,
                                         reason: "item \(index): use MAV_FRAME_GLOBAL_RELATIVE_ALT_INT")
                }
                return MissionPoint(latitudeDeg: p.latitudeDeg, longitudeDeg: p.longitudeDeg,
                                    relativeAltitudeM: p.altitudeM)
            }
            func direction(_ clockwise: Bool) -> OrbitDirection { clockwise ? .clockwise : .counterClockwise }
            switch item.kind {
            case .takeoff:
                guard let p = item.position, p.altitudeFrame == .relativeToHome else {
                    throw MissionRefusal(result: .mavMissionUnsupportedFrame,
                                         reason: "item \(index): takeoff altitude must be relative to home")
                }
                plan.append(.launch(altitudeM: p.altitudeM))
            case .waypoint(_, let radius):
                plan.append(.waypoint(position: try point(), acceptanceRadiusM: radius ?? guidance.acceptanceRadiusM))
            case .loiterUnlimited(let radius, let cw):
                plan.append(.loiter(center: try point(), radiusM: radius ?? guidance.loiterRadiusM,
                                    direction: direction(cw), exit: .unlimited))
            case .loiterTurns(let turns, let radius, let cw):
                plan.append(.loiter(center: try point(), radiusM: radius ?? guidance.loiterRadiusM,
                                    direction: direction(cw), exit: .turns(turns)))
            case .loiterTime(let seconds, let radius, let cw):
                plan.append(.loiter(center: try point(), radiusM: radius ?? guidance.loiterRadiusM,
                                    direction: direction(cw), exit: .time(seconds: seconds)))
            case .returnToLaunch:
                plan.append(.returnToLaunch)
            case .designation:
                guard designation == nil else {
                    throw MissionRefusal(result: .mavMissionInvalidSequence,
                                         reason: "item \(index): a second designation")
                }
                designation = try point()
            }
        }
        return MissionFile(items: plan, designation: designation)
    }
}
