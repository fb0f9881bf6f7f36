/// `airspeed`: indicated and true airspeed from the pitot-static sensor.
public struct Airspeed: ULogTopic, Hashable {
    public static let topicName = "airspeed"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var indicatedAirspeedMps: Float = 0
    public var trueAirspeedMps: Float = 0
    public var airTemperatureC: Float = 0
    /// 0…1 confidence from the airspeed validator.
    public var confidence: Float = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("indicated_airspeed_m_s", indicatedAirspeedMps)
        v.scalar("true_airspeed_m_s", trueAirspeedMps)
        v.scalar("air_temperature_celsius", airTemperatureC)
        v.scalar("confidence", confidence)
    }
}
