import FlightMath

/// `vehicle_attitude_groundtruth`: the simulator's true attitude (SITL's plant, a HIL simulator's
/// HIL_STATE_QUATERNION) in `vehicle_attitude`'s fields, under the topic name PX4's simulation logs it with, so a
/// log viewer plots it beside the estimate.
public struct VehicleAttitudeGroundtruth: ULogTopic, Hashable {
    public static let topicName = "vehicle_attitude_groundtruth"
    public var attitude = VehicleAttitude()
    public var timestampUs: UInt64 { attitude.timestampUs }

    public init() {}
    public init(timestampUs: UInt64, attitude q: Quaternion) {
        attitude = VehicleAttitude(timestampUs: timestampUs, timestampSampleUs: timestampUs, attitude: q)
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) { attitude.encodeFields(into: &v) }
}

/// `vehicle_global_position_groundtruth`: the simulator's true position in `vehicle_global_position`'s fields;
/// `alt` is the simulator's altitude (mean sea level), `alt_ellipsoid` NaN (a simulator gives one altitude).
public struct VehicleGlobalPositionGroundtruth: ULogTopic, Hashable {
    public static let topicName = "vehicle_global_position_groundtruth"
    public var position = VehicleGlobalPosition()
    public var timestampUs: UInt64 { position.timestampUs }

    public init() {}
    public init(timestampUs: UInt64, position p: Geodetic) {
        position = VehicleGlobalPosition(timestampUs: timestampUs, timestampSampleUs: timestampUs, position: p,
                                         geoidHeightM: 0, ephM: 0, epvM: 0)
        position.altitudeEllipsoidM = .nan
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) { position.encodeFields(into: &v) }
}

/// `vehicle_angular_velocity_groundtruth`: the simulator's true body rates, FRD, rad/s (PX4's
/// `vehicle_angular_velocity` fields; the derivative is not known and logged as NaN).
public struct VehicleAngularVelocityGroundtruth: ULogTopic, Hashable {
    public static let topicName = "vehicle_angular_velocity_groundtruth"
    public var timestampUs: UInt64 = 0
    public var rateFRDRadps = SIMD3<Float>(0, 0, 0)

    public init() {}
    public init(timestampUs: UInt64, rateFRDRadps r: Vector3) {
        self.timestampUs = timestampUs
        rateFRDRadps = SIMD3(Float(r.x), Float(r.y), Float(r.z))
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampUs)
        v.array("xyz", count: 3) { rateFRDRadps[$0] }
        v.array("xyz_derivative", count: 3) { _ in Float.nan }
    }
}
