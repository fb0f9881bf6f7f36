import FlightMath

/// `sensor_mag`: one magnetometer sample as the estimator consumed it, in the body FRD frame and gauss (PX4's field
/// names; its x/y/z are in the board frame, which for Kestrel's logged samples is the body frame). Kestrel applies
/// the hard-iron calibration inside the filter, so the logged field is the uncalibrated one and replay sees what
/// the flight saw.
public struct SensorMag: ULogTopic, Hashable {
    public static let topicName = "sensor_mag"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var deviceId: UInt32 = 0
    public var fieldFRDGauss = SIMD3<Float>(0, 0, 0)
    public var temperatureC: Float = .nan
    public var errorCount: UInt32 = 0

    public init() {}

    public init(timestampUs: UInt64, mag: MagSample) {
        self.timestampUs = timestampUs
        timestampSampleUs = mag.timestampUs
        fieldFRDGauss = SIMD3(Float(mag.fieldFRDGauss.x), Float(mag.fieldFRDGauss.y), Float(mag.fieldFRDGauss.z))
    }

    /// The sample as the estimator received it (to float32 precision).
    public var magSample: MagSample {
        MagSample(timestampUs: timestampSampleUs, fieldFRDGauss: Vector3(Double(fieldFRDGauss.x),
                                                                          Double(fieldFRDGauss.y),
                                                                          Double(fieldFRDGauss.z)))
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("device_id", deviceId)
        v.scalar("x", fieldFRDGauss.x)
        v.scalar("y", fieldFRDGauss.y)
        v.scalar("z", fieldFRDGauss.z)
        v.scalar("temperature", temperatureC)
        v.scalar("error_count", errorCount)
    }
}
