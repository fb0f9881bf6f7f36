import Guidance
import MAVLink
import Mission

/// MAVLink mission items to and from the mission layer's plan items: what MAVLink leaves open (a radius of 0
/// meaning "the default", altitude frames) is decided here, the flight rules are the mission layer's.
package enum LinkMissionConversion {
    /// A plan that was not uploaded (the mission file's) as a ground station downloads it: its items, then the
    /// designation item. The file's launch has no position, so its takeoff goes out at 0/0 ("where it launches")
    /// with pitch 0; radii are the plan's own (defaults filled in). An uploaded plan is never re-encoded: its items
    /// keep the fields they came with.
    package static func linkItems(_ items: [MissionItem], designation: MissionPoint?,
                                  requestsTerminalOnArrival: Bool = false) -> [LinkMissionItem] {
        var out = items.map(linkItem)
        if let designation { out.append(LinkMissionItem(kind: .designation, position: linkPosition(designation))) }
        if requestsTerminalOnArrival { out.append(LinkMissionItem(kind: .requestTerminal, position: nil)) }
        return out
    }

    package static func linkItems(_ file: MissionFile) -> [LinkMissionItem] {
        linkItems(file.items.map(\.item), designation: file.designation.map {
            MissionPoint(latitudeDeg: $0.latDeg, longitudeDeg: $0.lonDeg, relativeAltitudeM: $0.altitudeM)
        }, requestsTerminalOnArrival: file.requestsTerminalOnArrival)
    }

    /// The sequence number (position in `items`) of each flown item, in plan order: the plan counts only flown
    /// items, MAVLink counts all, so MISSION_CURRENT, MISSION_ITEM_REACHED and MISSION_SET_CURRENT go through this.
    package static func flownItemSequence(_ items: [LinkMissionItem]) -> [Int] {
        items.indices.filter { index in
            switch items[index].kind {
            case .designation, .requestTerminal: false
            default: true
            }
        }
    }

    package static func linkPosition(_ p: MissionPoint) -> LinkPosition {
        LinkPosition(latitudeE7: Int32(clamping: Int64((p.latitudeDeg * 1e7).rounded())),
                     longitudeE7: Int32(clamping: Int64((p.longitudeDeg * 1e7).rounded())),
                     altitudeM: p.relativeAltitudeM, altitudeFrame: .relativeToHome)
    }

    package static func linkItem(_ item: MissionItem) -> LinkMissionItem {
        switch item {
        case .launch(let altitudeM):
            return LinkMissionItem(kind: .takeoff(minimumPitchRad: nil), position: LinkPosition(
                latitudeE7: 0, longitudeE7: 0, altitudeM: altitudeM, altitudeFrame: .relativeToHome))
        case .waypoint(let p, let radius):
            return LinkMissionItem(kind: .waypoint(holdS: 0, acceptanceRadiusM: radius), position: linkPosition(p))
        case .loiter(let c, let radius, let direction, let exit):
            let cw = direction == .clockwise
            let kind: LinkMissionItem.Kind = switch exit {
            case .unlimited: .loiterUnlimited(radiusM: radius, clockwise: cw)
            case .turns(let t): .loiterTurns(turns: t, radiusM: radius, clockwise: cw)
            case .time(let seconds): .loiterTime(seconds: seconds, radiusM: radius, clockwise: cw)
            }
            return LinkMissionItem(kind: kind, position: linkPosition(c))
        case .returnToLaunch:
            return LinkMissionItem(kind: .returnToLaunch, position: nil)
        }
    }

    package static func missionFile(_ items: [LinkMissionItem], guidance: GuidanceConfig) throws(MissionRefusal)
        -> MissionFile
    {
        var plan: [MissionItem] = []
        var designation: MissionPoint?
        var requestsTerminal = false
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
            case .requestTerminal:
                guard !requestsTerminal else {
                    throw MissionRefusal(result: .mavMissionInvalidSequence,
                                         reason: "item \(index): a second terminal request")
                }
                requestsTerminal = true
            }
        }
        return MissionFile(items: plan, designation: designation, requestsTerminalOnArrival: requestsTerminal)
    }
}
