/// `vehicle_attitude_setpoint`: the attitude the controller is asked to hold. Euler angles are kept (older PX4
/// logged them and Flight Review plots them) alongside the quaternion (body FRD -> NED, Hamilton).
public struct VehicleAttitudeSetpoint: ULogTopic, Hashable {
    public static let topicName = "vehicle_attitude_setpoint"
    public var timestampUs: UInt64 = 0
    public var rollBodyRad: Float = 0
    public var pitchBodyRad: Float = 0
    public var yawBodyRad: Float = 0
    public var qDesired = SIMD4<Float>(1, 0, 0, 0)
    /// Normalised thrust in body FRD; a fixed-wing uses x only (0…1).
    public var thrustBody = SIMD3<Float>()
    public var resetIntegral = false

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("roll_body", rollBodyRad)
        v.scalar("pitch_body", pitchBodyRad)
        v.scalar("yaw_body", yawBodyRad)
        v.array("q_d", count: 4) { qDesired[$0] }
        v.array("thrust_body", count: 3) { thrustBody[$0] }
        v.scalar("reset_integral", resetIntegral)
    }
}
