import FlightMath
import RealModule

/// `vehicle_gps_position` with the fields of PX4's current `sensor_gps` message (PX4 ≥ 1.14: latitude and
/// longitude as float64 degrees, altitudes as float64 metres).
public struct VehicleGPSPosition: ULogTopic, Hashable {
    public static let topicName = "vehicle_gps_position"
    public var timestampUs: UInt64 = 0
    /// When the solution is valid (receiver time mapped to the vehicle clock).
    public var timestampSampleUs: UInt64 = 0
    public var deviceId: UInt32 = 0
    public var latitudeDeg: Double = 0
    public var longitudeDeg: Double = 0
    public var altitudeMSLM: Double = 0
    public var altitudeEllipsoidM: Double = 0
    /// Speed accuracy (1σ).
    public var speedAccuracyMps: Float = 0
    /// 0-1 no fix, 2 2D, 3 3D, 4 DGPS, 5 RTK float, 6 RTK fixed (PX4 `fix_type`).
    public var fixType: UInt8 = 0
    public var ephM: Float = 0
    public var epvM: Float = 0
    public var hdop: Float = 0
    public var vdop: Float = 0
    public var groundSpeedMps: Float = 0
    public var velocityNEDMps = SIMD3<Float>()
    /// Course over ground, radians from north.
    public var courseOverGroundRad: Float = 0
    public var velocityNEDValid = false
    public var satellitesUsed: UInt8 = 0

    public init() {}

    /// From a driver fix. `geoidHeightM` (ellipsoid minus AMSL) comes from the receiver or a geoid model.
    public init(timestampUs: UInt64, fix: GPSFix, geoidHeightM: Double, deviceId: UInt32 = 0) {
        self.timestampUs = timestampUs
        timestampSampleUs = fix.timestampUs
        self.deviceId = deviceId
        latitudeDeg = fix.position.latitudeDeg
        longitudeDeg = fix.position.longitudeDeg
        altitudeEllipsoidM = fix.position.altitudeM
        altitudeMSLM = fix.position.altitudeM - geoidHeightM
        speedAccuracyMps = Float(fix.speedAccuracyMps)
        fixType = fix.fixType.rawValue
        ephM = Float(fix.horizontalAccuracyM)
        epvM = Float(fix.verticalAccuracyM)
        velocityNEDMps = SIMD3(fix.velocityNEDMps)
        let v = fix.velocityNEDMps
        groundSpeedMps = Float((v.x * v.x + v.y * v.y).squareRoot())
        courseOverGroundRad = Float(Double.atan2(y: v.y, x: v.x))
        velocityNEDValid = fix.fixType == .fix3D
        satellitesUsed = UInt8(clamping: fix.satellitesUsed)
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("device_id", deviceId)
        v.scalar("latitude_deg", latitudeDeg)
        v.scalar("longitude_deg", longitudeDeg)
        v.scalar("altitude_msl_m", altitudeMSLM)
        v.scalar("altitude_ellipsoid_m", altitudeEllipsoidM)
        v.scalar("s_variance_m_s", speedAccuracyMps)
        v.scalar("fix_type", fixType)
        v.scalar("eph", ephM)
        v.scalar("epv", epvM)
        v.scalar("hdop", hdop)
        v.scalar("vdop", vdop)
        v.scalar("vel_m_s", groundSpeedMps)
        v.scalar("vel_n_m_s", velocityNEDMps.x)
        v.scalar("vel_e_m_s", velocityNEDMps.y)
        v.scalar("vel_d_m_s", velocityNEDMps.z)
        v.scalar("cog_rad", courseOverGroundRad)
        v.scalar("vel_ned_valid", velocityNEDValid)
        v.scalar("satellites_used", satellitesUsed)
    }
}
