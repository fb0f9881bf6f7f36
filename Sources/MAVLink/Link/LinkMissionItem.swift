/// One mission item as uploaded, in a neutral form the autopilot validates and converts into its mission plan
/// (`Mission.MissionItem` / `Designation`). The link only checks what MAVLink itself defines (known command,
/// supported frame, coordinates in range, finite numbers); flight rules (minimum radius, altitudes, order) are the
/// mission layer's.
///
/// An uploaded item also keeps the fields it was sent with (`uploaded`): a download returns those, not a
/// re-encoding of `kind`, which is lossy by design (it drops what the vehicle does not use, such as a yaw, and reads
/// 0 or NaN as "the default").
public struct LinkMissionItem: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// MAV_CMD_NAV_TAKEOFF: the launch. Climb to `position.altitudeM`; `minimumPitchRad` from param1 (nil when
        /// 0 or NaN). Latitude/longitude 0/0 means "launch where you are".
        case takeoff(minimumPitchRad: Double?)
        /// MAV_CMD_NAV_WAYPOINT: param1 hold time, param2 acceptance radius (nil when 0 or NaN: the default).
        case waypoint(holdS: Double, acceptanceRadiusM: Double?)
        /// MAV_CMD_NAV_LOITER_UNLIM. Radius nil: the vehicle's default.
        case loiterUnlimited(radiusM: Double?, clockwise: Bool)
        /// MAV_CMD_NAV_LOITER_TURNS (param1 turns).
        case loiterTurns(turns: Double, radiusM: Double?, clockwise: Bool)
        /// MAV_CMD_NAV_LOITER_TIME (param1 seconds).
        case loiterTime(seconds: Double, radiusM: Double?, clockwise: Bool)
        /// MAV_CMD_NAV_RETURN_TO_LAUNCH (no position).
        case returnToLaunch
        /// MAV_CMD_KESTREL_DESIGNATION (kestrel.xml, 53200): the designated point of the terminal approach. Not
        /// flown to; at most one per mission (the mission layer checks).
        case designation
        /// MAV_CMD_KESTREL_REQUEST_TERMINAL (kestrel.xml, 53201) as a mission item: ask for the terminal phase on
        /// arrival in an orbit over the designation. No position; not flown to; at most one per mission.
        case requestTerminal
    }

    public var kind: Kind
    /// Nil only for `.returnToLaunch`.
    public var position: LinkPosition?
    public var autocontinue: Bool
    /// The MISSION_ITEM_INT fields as the ground station sent them; nil for an item that was not uploaded (the
    /// mission file's), which a download encodes from `kind` and `position`.
    public var uploaded: UploadedMissionFields?

    public init(kind: Kind, position: LinkPosition?, autocontinue: Bool = true, uploaded: UploadedMissionFields? = nil) {
        self.kind = kind
        self.position = position
        self.autocontinue = autocontinue
        self.uploaded = uploaded
    }
}

/// Why an uploaded MISSION_ITEM_INT was refused: the MISSION_ACK result and what was wrong, naming the item.
public struct MissionItemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var sequence: Int
    public var result: MAVMissionResult
    public var problem: String

    public var description: String { "mission item \(sequence): \(problem)" }
}
