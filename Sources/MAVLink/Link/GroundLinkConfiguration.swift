/// How a `GroundLink` presents itself and paces its services.
public struct GroundLinkConfiguration: Sendable {
    /// This vehicle's MAVLink address (component 1 = MAV_COMP_ID_AUTOPILOT1).
    public var identity = LinkIdentity(systemID: 1, componentID: 1)
    /// MAVLink 2 signing key. When set, outgoing frames are signed and state-changing messages need a valid
    /// signature (`SignedCommandPolicy`).
    public var signingKey: SigningKey?
    /// Link id written into outgoing signatures.
    public var signingLinkID: UInt8 = 0
    /// The last signing timestamp this vehicle persisted (`GroundLink.signingTimestamp`), 0 if none: outgoing
    /// timestamps start above it and new incoming streams must not be more than a minute older.
    public var signingTimestampFloor: UInt64 = 0
    /// AUTOPILOT_VERSION.uid (the airframe serial; also the approval vehicle id).
    public var vehicleUID: UInt64 = 0
    /// AUTOPILOT_VERSION.flight_sw_version: major << 24 | minor << 16 | patch << 8 | type (0xFF release).
    public var flightSoftwareVersion: UInt32 = 0x0001_00FF
    public var mission = MissionService.Configuration()
    public var parameterValuesPerSecond = 200
    public var streams = StreamScheduler.kestrelDefaults
    public var approvalResendIntervalUs: UInt64 = 1_000_000
    /// Bounds the work of one poll: at most this many reads per transport.
    public var maxReadsPerPoll = 64
    /// STATUSTEXTs taken from the model per poll.
    public var maxStatusTextsPerPoll = 8

    public init() {}

    /// What Kestrel's link really supports, announced in AUTOPILOT_VERSION: MISSION_ITEM_INT transfers, float
    /// parameters (every one REAL32, so no integer encoding is claimed), COMMAND_INT and MAVLink 2. No fence/rally
    /// lists, FTP or terrain.
    public static let capabilities: MAVProtocolCapability = [
        .missionInt, .paramFloat, .commandInt, .mavlink2,
    ]
}
