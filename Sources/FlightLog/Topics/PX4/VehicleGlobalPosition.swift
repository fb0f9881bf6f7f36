import FlightMath

/// `vehicle_global_position`: estimated WGS-84 position; degrees at this edge, altitude AMSL and ellipsoidal.
public struct VehicleGlobalPosition: ULogTopic, Hashable {
    public static let topicName = "vehicle_global_position"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var latitudeDeg: Double = 0
    public var longitudeDeg: Double = 0
    /// Altitude above mean sea level.
    public var altitudeAMSLM: Float = 0
    /// Altitude above the WGS-84 ellipsoid.
    public var altitudeEllipsoidM: Float = 0
    public var ephM: Float = 0
    public var epvM: Float = 0
    /// True while the estimate runs without an absolute position source.
    public var deadReckoning = false

    public init() {}

    public init(timestampUs: UInt64, timestampSampleUs: UInt64, position: Geodetic, geoidHeightM: Double,
                ephM: Float, epvM: Float) {
        self.timestampUs = timestampUs; self.timestampSampleUs = timestampSampleUs
        latitudeDeg = Angle.degrees(fromRadians: position.latitudeRad)
        longitudeDeg = Angle.degrees(fromRadians: position.longitudeRad)
        altitudeEllipsoidM = Float(position.altitudeM)
        altitudeAMSLM = Float(position.altitudeM - geoidHeightM)
        self.ephM = ephM; self.epvM = epvM
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("lat", latitudeDeg)
        v.scalar("lon", longitudeDeg)
        v.scalar("alt", altitudeAMSLM)
        v.scalar("alt_ellipsoid", altitudeEllipsoidM)
        v.scalar("eph", ephM)
        v.scalar("epv", epvM)
        v.scalar("dead_reckoning", deadReckoning)
    }
}
