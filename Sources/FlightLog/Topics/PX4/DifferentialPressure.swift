import FlightMath

/// `differential_pressure`: the pitot sample the estimator consumes (PX4 field names).
public struct DifferentialPressure: ULogTopic, Hashable {
    public static let topicName = "differential_pressure"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var deviceId: UInt32 = 0
    public var differentialPressurePa: Float = 0
    public var temperatureC: Float = 0
    public var errorCount: UInt32 = 0

    public init() {}

    public init(timestampUs: UInt64, pitot: AirspeedSample) {
        self.timestampUs = timestampUs
        timestampSampleUs = pitot.timestampUs
        differentialPressurePa = Float(pitot.differentialPressurePa)
        temperatureC = Float(pitot.temperatureC)
    }

    /// The sample as the estimator received it (to float32 precision).
    public var airspeedSample: AirspeedSample {
        AirspeedSample(timestampUs: timestampSampleUs, differentialPressurePa: Double(differentialPressurePa),
                       temperatureC: Double(temperatureC))
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("device_id", deviceId)
        v.scalar("differential_pressure_pa", differentialPressurePa)
        v.scalar("temperature", temperatureC)
        v.scalar("error_count", errorCount)
    }
}
