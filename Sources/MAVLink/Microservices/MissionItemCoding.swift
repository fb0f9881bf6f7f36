/// MISSION_ITEM_INT ⇄ `LinkMissionItem`. Loiter direction follows MAVLink: a positive radius orbits clockwise, a
/// negative one counter-clockwise. A decoded item keeps the fields it came with (`LinkMissionItem.uploaded`) and
/// encodes back to exactly those: upload → download is lossless.
public enum MissionItemCoding {
    /// MAV_CMD of the designation item (kestrel.xml).
    public static let designationCommand = MAVCmd.kestrelDesignation

    public static func decode(_ message: MissionItemInt) throws(MissionItemError) -> LinkMissionItem {
        let seq = Int(message.seq)
        func fail(_ result: MAVMissionResult, _ problem: String) -> MissionItemError {
            MissionItemError(sequence: seq, result: result, problem: problem)
        }
        let kind: LinkMissionItem.Kind
        var needsPosition = true
        switch message.command {
        case .navTakeoff:
            let pitch = message.param1
            guard !pitch.isInfinite else { throw fail(.mavMissionInvalidParam1, "takeoff pitch is infinite") }
            kind = .takeoff(minimumPitchRad: pitch.isNaN || pitch == 0 ? nil : Double(pitch) * .pi / 180)
        case .navWaypoint:
            let hold = message.param1
            let acceptance = message.param2
            guard hold.isFinite, hold >= 0 else {
                throw fail(.mavMissionInvalidParam1, "waypoint hold time \(hold) s is not a finite value ≥ 0")
            }
            guard acceptance.isNaN || (acceptance.isFinite && acceptance >= 0) else {
                throw fail(.mavMissionInvalidParam2, "waypoint acceptance radius \(acceptance) m is negative")
            }
            kind = .waypoint(holdS: Double(hold), acceptanceRadiusM: positiveOrNil(acceptance))
        case .navLoiterUnlim:
            let (radius, clockwise) = try loiterRadius(message.param3, seq)
            kind = .loiterUnlimited(radiusM: radius, clockwise: clockwise)
        case .navLoiterTurns:
            let turns = message.param1
            guard turns.isFinite, turns > 0 else {
                throw fail(.mavMissionInvalidParam1, "loiter turns \(turns) is not a finite value > 0")
            }
            let (radius, clockwise) = try loiterRadius(message.param3, seq)
            kind = .loiterTurns(turns: Double(turns), radiusM: radius, clockwise: clockwise)
        case .navLoiterTime:
            let seconds = message.param1
            guard seconds.isFinite, seconds > 0 else {
                throw fail(.mavMissionInvalidParam1, "loiter time \(seconds) s is not a finite value > 0")
            }
            let (radius, clockwise) = try loiterRadius(message.param3, seq)
            kind = .loiterTime(seconds: Double(seconds), radiusM: radius, clockwise: clockwise)
        case .navReturnToLaunch:
            kind = .returnToLaunch
            needsPosition = false
        case designationCommand:
            kind = .designation
        case .kestrelRequestTerminal:
            kind = .requestTerminal
            needsPosition = false
        default:
            throw fail(.mavMissionUnsupported, "command \(message.command.rawValue) is not supported")
        }
        let uploaded = UploadedMissionFields(message)
        guard needsPosition else {
            return LinkMissionItem(kind: kind, position: nil, autocontinue: message.autocontinue != 0,
                                   uploaded: uploaded)
        }
        guard let frame = LinkAltitudeFrame(message.frame) else {
            throw fail(.mavMissionUnsupportedFrame, "frame \(message.frame.rawValue) is not a global frame")
        }
        guard message.x >= -900_000_000, message.x <= 900_000_000 else {
            throw fail(.mavMissionInvalidParam5X, "latitude \(message.x)e-7° is outside ±90°")
        }
        guard message.y >= -1_800_000_000, message.y <= 1_800_000_000 else {
            throw fail(.mavMissionInvalidParam6Y, "longitude \(message.y)e-7° is outside ±180°")
        }
        guard message.z.isFinite else { throw fail(.mavMissionInvalidParam7, "altitude \(message.z) is not finite") }
        let position = LinkPosition(
            latitudeE7: message.x, longitudeE7: message.y, altitudeM: Double(message.z), altitudeFrame: frame)
        return LinkMissionItem(kind: kind, position: position, autocontinue: message.autocontinue != 0,
                               uploaded: uploaded)
    }

    /// The item as MISSION_ITEM_INT number `seq` of a download, addressed to `target`: an uploaded item as it was
    /// sent, any other encoded from its kind and position.
    public static func encode(
        _ item: LinkMissionItem, seq: UInt16, current: Bool, targetSystem: UInt8, targetComponent: UInt8
    ) -> MissionItemInt {
        if let uploaded = item.uploaded {
            return uploaded.message(seq: seq, current: current, targetSystem: targetSystem,
                                    targetComponent: targetComponent)
        }
        var message = MissionItemInt(
            targetSystem: targetSystem, targetComponent: targetComponent, seq: seq, frame: .mission,
            command: .navWaypoint, current: current ? 1 : 0, autocontinue: item.autocontinue ? 1 : 0,
            missionType: .mission)
        func radius(_ value: Double?, _ clockwise: Bool) -> Float {
            guard let value else { return 0 }
            return Float(clockwise ? value : -value)
        }
        switch item.kind {
        case let .takeoff(pitch):
            message.command = .navTakeoff
            message.param1 = Float((pitch ?? 0) * 180 / .pi)
        case let .waypoint(hold, acceptance):
            message.command = .navWaypoint
            message.param1 = Float(hold)
            message.param2 = Float(acceptance ?? 0)
        case let .loiterUnlimited(r, clockwise):
            message.command = .navLoiterUnlim
            message.param3 = radius(r, clockwise)
        case let .loiterTurns(turns, r, clockwise):
            message.command = .navLoiterTurns
            message.param1 = Float(turns)
            message.param3 = radius(r, clockwise)
        case let .loiterTime(seconds, r, clockwise):
            message.command = .navLoiterTime
            message.param1 = Float(seconds)
            message.param3 = radius(r, clockwise)
        case .returnToLaunch:
            message.command = .navReturnToLaunch
        case .designation:
            message.command = designationCommand
        case .requestTerminal:
            message.command = .kestrelRequestTerminal
        }
        if let position = item.position {
            message.frame = position.altitudeFrame.mavFrame
            message.x = position.latitudeE7
            message.y = position.longitudeE7
            message.z = Float(position.altitudeM)
        }
        return message
    }

    private static func positiveOrNil(_ value: Float) -> Double? {
        value.isFinite && value > 0 ? Double(value) : nil
    }

    private static func loiterRadius(_ value: Float, _ seq: Int) throws(MissionItemError) -> (Double?, Bool) {
        guard !value.isInfinite else {
            throw MissionItemError(sequence: seq, result: .mavMissionInvalidParam3, problem: "loiter radius is infinite")
        }
        guard !value.isNaN, value != 0 else { return (nil, true) }
        return (Double(abs(value)), value > 0)
    }
}
