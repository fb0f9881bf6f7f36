import FlightMath

/// `sensor_combined`: the IMU sample the estimator consumes. Body frame FRD; the accelerometer field is specific
/// force (about -9.81 m/s² on z at rest), as in PX4.
public struct SensorCombined: ULogTopic, Hashable {
    public static let topicName = "sensor_combined"
    public var timestampUs: UInt64 = 0
    public var gyroFRDRadps = SIMD3<Float>()
    /// Integration interval the gyro sample covers.
    public var gyroIntegralDtUs: UInt32 = 0
    /// Accelerometer sample time minus `timestampUs` (PX4 `accelerometer_timestamp_relative`).
    public var accelerometerTimestampRelativeUs: Int32 = 0
    public var accelFRDMps2 = SIMD3<Float>()
    public var accelerometerIntegralDtUs: UInt32 = 0
    /// Bit per axis (x=1, y=2, z=4) set when that axis clipped during the interval.
    public var accelerometerClipping: UInt8 = 0
    public var gyroClipping: UInt8 = 0

    public init() {}

    public init(_ imu: IMUSample, integralDtUs: UInt32) {
        timestampUs = imu.timestampUs
        gyroFRDRadps = SIMD3(imu.gyroFRDRadps)
        accelFRDMps2 = SIMD3(imu.accelFRDMps2)
        gyroIntegralDtUs = integralDtUs
        accelerometerIntegralDtUs = integralDtUs
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.array("gyro_rad", count: 3) { gyroFRDRadps[$0] }
        v.scalar("gyro_integral_dt", gyroIntegralDtUs)
        v.scalar("accelerometer_timestamp_relative", accelerometerTimestampRelativeUs)
        v.array("accelerometer_m_s2", count: 3) { accelFRDMps2[$0] }
        v.scalar("accelerometer_integral_dt", accelerometerIntegralDtUs)
        v.scalar("accelerometer_clipping", accelerometerClipping)
        v.scalar("gyro_clipping", gyroClipping)
    }
}

extension SIMD3 where Scalar == Float {
    /// Narrowing to the log's float32.
    @inlinable public init(_ v: Vector3) { self.init(Float(v.x), Float(v.y), Float(v.z)) }
}
