/// `vehicle_status`: arming and navigation state, with PX4's numeric values so PX4 tools label them correctly.
public struct VehicleStatus: ULogTopic, Hashable {
    public static let topicName = "vehicle_status"

    /// PX4 `ARMING_STATE_*`.
    public enum ArmingState: UInt8, Sendable { case disarmed = 1, armed = 2 }

    /// PX4 `NAVIGATION_STATE_*` values Kestrel uses. The terminal phase has no PX4 counterpart; it is logged as
    /// `autoMission` here and in detail in `kestrel_gate_event`.
    public enum NavState: UInt8, Sendable {
        case manual = 0, altitudeControl = 1, positionControl = 2, autoMission = 3, autoLoiter = 4, autoRTL = 5
        case descend = 12, termination = 13, stabilized = 15, autoTakeoff = 17, autoLand = 18, orbit = 21
    }

    public var timestampUs: UInt64 = 0
    public var armedTimeUs: UInt64 = 0
    public var takeoffTimeUs: UInt64 = 0
    public var armingState: UInt8 = ArmingState.disarmed.rawValue
    public var latestArmingReason: UInt8 = 0
    public var latestDisarmingReason: UInt8 = 0
    public var navState: UInt8 = NavState.manual.rawValue
    /// The mode the operator asked for (may differ from `navState` during a failsafe).
    public var navStateUserIntention: UInt8 = NavState.manual.rawValue
    public var failsafe = false
    /// PX4 `VEHICLE_TYPE_FIXED_WING` = 2.
    public var vehicleType: UInt8 = 2
    public var gcsConnectionLost = false

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("armed_time", armedTimeUs)
        v.scalar("takeoff_time", takeoffTimeUs)
        v.scalar("arming_state", armingState)
        v.scalar("latest_arming_reason", latestArmingReason)
        v.scalar("latest_disarming_reason", latestDisarmingReason)
        v.scalar("nav_state", navState)
        v.scalar("nav_state_user_intention", navStateUserIntention)
        v.scalar("failsafe", failsafe)
        v.scalar("vehicle_type", vehicleType)
        v.scalar("gcs_connection_lost", gcsConnectionLost)
    }
}
