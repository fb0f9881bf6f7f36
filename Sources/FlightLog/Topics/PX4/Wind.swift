/// `wind`: the estimator's wind (the air's velocity over the ground, north and east, m/s) and its variance, under
/// PX4's topic and field names, so PX4 Flight Review and PlotJuggler show it as they do a PX4 log's. PX4's airspeed
/// and sideslip innovations are in `estimator_innovations` here.
public struct Wind: ULogTopic, Hashable {
    public static let topicName = "wind"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var windspeedNorthMps: Float = 0
    public var windspeedEastMps: Float = 0
    public var varianceNorthMps2: Float = 0
    public var varianceEastMps2: Float = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("windspeed_north", windspeedNorthMps)
        v.scalar("windspeed_east", windspeedEastMps)
        v.scalar("variance_north", varianceNorthMps2)
        v.scalar("variance_east", varianceEastMps2)
    }
}
