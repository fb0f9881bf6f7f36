import FlightMath

/// `vehicle_attitude`: estimated attitude, quaternion q = (w, x, y, z), Hamilton convention, rotating body FRD
/// vectors into NED (PX4's meaning).
public struct VehicleAttitude: ULogTopic, Hashable {
    public static let topicName = "vehicle_attitude"
    public var timestampUs: UInt64 = 0
    /// Time of the IMU sample the estimate corresponds to.
    public var timestampSampleUs: UInt64 = 0
    public var qBodyToNED = SIMD4<Float>(1, 0, 0, 0)
    /// Rotation applied by the last estimator reset (identity when none).
    public var deltaQReset = SIMD4<Float>(1, 0, 0, 0)
    public var quatResetCounter: UInt8 = 0

    public init() {}

    public init(timestampUs: UInt64, timestampSampleUs: UInt64, attitude q: Quaternion) {
        self.timestampUs = timestampUs
        self.timestampSampleUs = timestampSampleUs
        qBodyToNED = SIMD4(Float(q.w), Float(q.x), Float(q.y), Float(q.z))
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.array("q", count: 4) { qBodyToNED[$0] }
        v.array("delta_q_reset", count: 4) { deltaQReset[$0] }
        v.scalar("quat_reset_counter", quatResetCounter)
    }
}
