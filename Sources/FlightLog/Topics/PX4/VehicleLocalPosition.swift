/// `vehicle_local_position`: estimated position and velocity in the local NED frame whose origin is
/// (`ref_lat`, `ref_lon`, `ref_alt`); angles in degrees at this edge as in PX4, metres otherwise.
public struct VehicleLocalPosition: ULogTopic, Hashable {
    public static let topicName = "vehicle_local_position"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var xyValid = false
    public var zValid = false
    public var vxyValid = false
    public var vzValid = false
    public var positionNEDM = SIMD3<Float>()
    public var velocityNEDMps = SIMD3<Float>()
    public var accelerationNEDMps2 = SIMD3<Float>()
    /// Yaw of the body x axis from north, radians.
    public var headingRad: Float = 0
    /// True when the reference point below is set (global position available).
    public var xyGlobal = false
    public var zGlobal = false
    public var refTimestampUs: UInt64 = 0
    public var refLatitudeDeg: Double = 0
    public var refLongitudeDeg: Double = 0
    /// Reference altitude AMSL.
    public var refAltitudeM: Float = 0
    /// Standard deviations: horizontal/vertical position and velocity.
    public var ephM: Float = 0
    public var epvM: Float = 0
    public var evhMps: Float = 0
    public var evvMps: Float = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("xy_valid", xyValid)
        v.scalar("z_valid", zValid)
        v.scalar("v_xy_valid", vxyValid)
        v.scalar("v_z_valid", vzValid)
        v.scalar("x", positionNEDM.x)
        v.scalar("y", positionNEDM.y)
        v.scalar("z", positionNEDM.z)
        v.scalar("vx", velocityNEDMps.x)
        v.scalar("vy", velocityNEDMps.y)
        v.scalar("vz", velocityNEDMps.z)
        v.scalar("ax", accelerationNEDMps2.x)
        v.scalar("ay", accelerationNEDMps2.y)
        v.scalar("az", accelerationNEDMps2.z)
        v.scalar("heading", headingRad)
        v.scalar("xy_global", xyGlobal)
        v.scalar("z_global", zGlobal)
        v.scalar("ref_timestamp", refTimestampUs)
        v.scalar("ref_lat", refLatitudeDeg)
        v.scalar("ref_lon", refLongitudeDeg)
        v.scalar("ref_alt", refAltitudeM)
        v.scalar("eph", ephM)
        v.scalar("epv", epvM)
        v.scalar("evh", evhMps)
        v.scalar("evv", evvMps)
    }
}
