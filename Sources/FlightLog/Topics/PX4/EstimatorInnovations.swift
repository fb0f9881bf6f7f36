/// `estimator_innovations`: measurement minus prediction for each fused sensor, and the matching test ratios
/// (innovation² / (gate² · innovation variance); > 1 means the measurement was rejected). PX4 splits the ratios
/// into `estimator_innovation_test_ratios`; Kestrel keeps them beside the innovations with a `_test_ratio` suffix.
/// NED axes; horizontal pairs are (north, east).
public struct EstimatorInnovations: ULogTopic, Hashable {
    public static let topicName = "estimator_innovations"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var gpsHorizontalVelocityMps = SIMD2<Float>()
    public var gpsVerticalVelocityMps: Float = 0
    public var gpsHorizontalPositionM = SIMD2<Float>()
    public var gpsVerticalPositionM: Float = 0
    public var baroVerticalPositionM: Float = 0
    public var magFieldGauss = SIMD3<Float>()
    public var airspeedMps: Float = 0
    public var gpsHorizontalVelocityTestRatio = SIMD2<Float>()
    public var gpsVerticalVelocityTestRatio: Float = 0
    public var gpsHorizontalPositionTestRatio = SIMD2<Float>()
    public var gpsVerticalPositionTestRatio: Float = 0
    public var baroVerticalPositionTestRatio: Float = 0
    public var magFieldTestRatio = SIMD3<Float>()
    public var airspeedTestRatio: Float = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.array("gps_hvel", count: 2) { gpsHorizontalVelocityMps[$0] }
        v.scalar("gps_vvel", gpsVerticalVelocityMps)
        v.array("gps_hpos", count: 2) { gpsHorizontalPositionM[$0] }
        v.scalar("gps_vpos", gpsVerticalPositionM)
        v.scalar("baro_vpos", baroVerticalPositionM)
        v.array("mag_field", count: 3) { magFieldGauss[$0] }
        v.scalar("airspeed", airspeedMps)
        v.array("gps_hvel_test_ratio", count: 2) { gpsHorizontalVelocityTestRatio[$0] }
        v.scalar("gps_vvel_test_ratio", gpsVerticalVelocityTestRatio)
        v.array("gps_hpos_test_ratio", count: 2) { gpsHorizontalPositionTestRatio[$0] }
        v.scalar("gps_vpos_test_ratio", gpsVerticalPositionTestRatio)
        v.scalar("baro_vpos_test_ratio", baroVerticalPositionTestRatio)
        v.array("mag_field_test_ratio", count: 3) { magFieldTestRatio[$0] }
        v.scalar("airspeed_test_ratio", airspeedTestRatio)
    }
}
