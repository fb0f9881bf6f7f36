/// `position_setpoint_triplet`, flattened: PX4 nests three `position_setpoint` structs (previous, current,
/// next); Kestrel logs the fields its guidance uses, prefixed `previous_`, `current_`, `next_`.
public struct PositionSetpointTriplet: ULogTopic, Hashable {
    public static let topicName = "position_setpoint_triplet"

    /// PX4 `SETPOINT_TYPE_*`.
    public enum SetpointType: UInt8, Sendable {
        case position = 0, velocity = 1, loiter = 2, takeoff = 3, land = 4, idle = 5
    }

    public struct Setpoint: Hashable, Sendable {
        public var valid = false
        public var type: UInt8 = SetpointType.position.rawValue
        public var latitudeDeg: Double = 0
        public var longitudeDeg: Double = 0
        /// Altitude AMSL.
        public var altitudeM: Float = 0
        public var loiterRadiusM: Float = 0
        public var loiterCounterClockwise = false
        /// Requested airspeed; negative when unset (PX4 convention).
        public var cruisingSpeedMps: Float = -1
        public init() {}
    }

    public var timestampUs: UInt64 = 0
    public var previous = Setpoint()
    public var current = Setpoint()
    public var next = Setpoint()

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("previous_valid", previous.valid)
        v.scalar("previous_type", previous.type)
        v.scalar("previous_lat", previous.latitudeDeg)
        v.scalar("previous_lon", previous.longitudeDeg)
        v.scalar("previous_alt", previous.altitudeM)
        v.scalar("current_valid", current.valid)
        v.scalar("current_type", current.type)
        v.scalar("current_lat", current.latitudeDeg)
        v.scalar("current_lon", current.longitudeDeg)
        v.scalar("current_alt", current.altitudeM)
        v.scalar("current_loiter_radius", current.loiterRadiusM)
        v.scalar("current_loiter_direction_counter_clockwise", current.loiterCounterClockwise)
        v.scalar("current_cruising_speed", current.cruisingSpeedMps)
        v.scalar("next_valid", next.valid)
        v.scalar("next_type", next.type)
        v.scalar("next_lat", next.latitudeDeg)
        v.scalar("next_lon", next.longitudeDeg)
        v.scalar("next_alt", next.altitudeM)
    }
}
