import FlightMath

/// The vehicle state the link reports, in SI units with frames named (NED, FRD). The model fills it from its
/// latest estimator/mission output; fields it does not know keep their defaults (which MAVLink reads as
/// "unknown" where it has such a value).
public struct VehicleSnapshot: Sendable {
    /// The vehicle's monotonic time of this state, µs (orders snapshots that reach the link by different ways).
    public var vehicleTimeUs: UInt64 = 0
    /// UTC at `vehicleTimeUs` (from GPS), µs since the Unix epoch; nil while the vehicle has no UTC (SYSTEM_TIME
    /// then reports 0, as MAVLink asks).
    public var utcTimeUs: UInt64?

    // Mode and status (HEARTBEAT, EXTENDED_SYS_STATE).
    public var flightMode: KestrelFlightMode = .preflight
    public var armed = false
    public var systemState: MAVState = .standby
    public var landedState: MAVLandedState = .onGround

    // Attitude (ATTITUDE): body FRD relative to NED, and body rates.
    public var attitude = EulerAngles(rollRad: 0, pitchRad: 0, yawRad: 0)
    public var bodyRatesFRDRadps = Vector3(x: 0, y: 0, z: 0)

    // Navigation solution (GLOBAL_POSITION_INT, VFR_HUD). Nil position: not sent.
    /// The solution's position as the navigation filter holds it: NED in its local frame (nil frame: no origin yet).
    /// The snapshot is built on the real-time thread at 50 Hz, and an ECEF → geodetic conversion costs about 3.7 k
    /// instructions: `position` converts when the link reads it, on the telemetry thread.
    public var positionNEDM = Vector3(x: 0, y: 0, z: 0)
    public var positionFrame: LocalFrame?
    /// On the WGS-84 ellipsoid, converted when read.
    public var position: Geodetic? { positionFrame?.geodetic(ofNED: positionNEDM) }
    public var hasPosition: Bool { positionFrame != nil }
    /// Geoid height N (ellipsoid minus mean sea level) at the vehicle; MSL altitude = ellipsoid altitude − N.
    public var geoidHeightM: Double = 0
    public var velocityNEDMps = Vector3(x: 0, y: 0, z: 0)
    public var airspeedMps: Double = 0
    public var throttleFraction: Double = 0

    // GNSS receiver (GPS_RAW_INT), raw.
    public var gpsFixType: GPSFixType = .noGps
    public var gpsPosition: Geodetic?
    public var gpsHorizontalAccuracyM: Double?
    public var gpsVerticalAccuracyM: Double?
    public var gpsGroundSpeedMps: Double = 0
    public var gpsCourseRad: Double = 0
    public var gpsSatellitesUsed: Int = 0

    // Power (SYS_STATUS, BATTERY_STATUS).
    public var batteryVoltageV: Double?
    public var batteryCurrentA: Double?
    public var batteryConsumedMAh: Double?
    /// 0…1, nil when unknown.
    public var batteryRemainingFraction: Double?
    public var sensorsPresent: MAVSysStatusSensor = []
    public var sensorsEnabled: MAVSysStatusSensor = []
    public var sensorsHealthy: MAVSysStatusSensor = []
    /// Share of the main loop's time budget used, 0…1.
    public var loadFraction: Double = 0
    /// Failed sensor reads since start (SYS_STATUS errors_count1…4: IMU, barometer, airspeed, GPS).
    public var imuReadFailures: UInt64 = 0
    public var baroReadFailures: UInt64 = 0
    public var airspeedReadFailures: UInt64 = 0
    public var gpsReadFailures: UInt64 = 0
    /// Times a chip was found reset (a dip in its supply) and configured again since start: the IMU, the barometer,
    /// the servo board. The link says each as a warning.
    public var imuReconfigurations: UInt64 = 0
    public var baroReconfigurations: UInt64 = 0
    public var outputReconfigurations: UInt64 = 0

    // Home (HOME_POSITION), nil until set.
    public var home: Geodetic?
    /// The navigation filter's origin once it navigates (missions are built against it); not sent on the link.
    public var navigationOrigin: Geodetic?

    // Mission progress (MISSION_CURRENT, MISSION_ITEM_REACHED).
    public var currentMissionItem: Int = 0
    /// Index of the last item reached since start (nil before the first); a change sends MISSION_ITEM_REACHED.
    public var lastReachedMissionItem: Int?
    public var missionState: MissionState = .unknown

    // Terminal approval gate (TERMINAL_STATUS, TERMINAL_APPROVAL_REQUEST).
    public var gate = LinkGateStatus()
    /// The gate's pending request, re-sent at 1 Hz until it is answered (becomes nil) or expires.
    public var pendingApprovalRequest: LinkApprovalRequest?
    /// The gate's clock (the time base of request issue/expiry times), µs.
    public var gateClockUs: UInt64 = 0

    public init() {}
}
