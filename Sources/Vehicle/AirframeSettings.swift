import ConfigFiles
import Control
import Estimation
import FlightMath
import Guidance

/// The autopilot's view of an airframe file (`Hardware/airframes/*.toml`): `[control]` (loops, TECS, mixer and
/// output channels), `[guidance]`, `[estimation]` and `[flight]`. The plant's sections belong to the simulator and
/// are left to it, so one file describes the airframe for both; every key of these sections is checked.
public struct AirframeSettings: Decodable, Sendable {
    public var control: ControlConfig
    public var guidance: GuidanceConfig
    public var estimation: NavigationFilterConfig
    public var flight: FlightSettings

    enum CodingKeys: String, CodingKey { case control, guidance, estimation, flight }

    public init(control: ControlConfig = .defaults, guidance: GuidanceConfig = .defaults,
                estimation: NavigationFilterConfig = NavigationFilterConfig(), flight: FlightSettings = .defaults) {
        self.control = control; self.guidance = guidance; self.estimation = estimation; self.flight = flight
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        control = try c.decodeIfPresent(ControlConfig.self, forKey: .control) ?? .defaults
        guidance = try c.decodeIfPresent(GuidanceConfig.self, forKey: .guidance) ?? .defaults
        estimation = try c.decodeIfPresent(NavigationFilterConfig.self, forKey: .estimation) ?? NavigationFilterConfig()
        flight = try c.decodeIfPresent(FlightSettings.self, forKey: .flight) ?? .defaults
    }

    /// Top-level tables of an airframe file the simulator reads (and `limits`, reserved for the mission layer).
    public static let sectionsReadElsewhere: Set<String> = [
        "airframe", "mass", "geometry", "aerodynamics", "actuators", "propulsion", "battery", "ground_contact",
        "sensors", "launch", "limits", "outputs",
    ]

    public static func load(fromFile path: String) throws(ConfigFileError) -> AirframeSettings {
        try ConfigFile.load(AirframeSettings.self, fromFile: path, sectionsReadElsewhere: sectionsReadElsewhere)
    }

    public static func decode(fromTOML text: String, source: String) throws(ConfigFileError) -> AirframeSettings {
        try ConfigFile.decode(AirframeSettings.self, fromTOML: text, source: source,
                              sectionsReadElsewhere: sectionsReadElsewhere)
    }
}

/// `[flight]`: launch behaviour and sensor-pipeline settings of the vehicle.
public struct FlightSettings: Sendable, Equatable, Decodable {
    /// Pitch held wings level during the launch climb.
    public var launchPitchRad: Double
    public var launchThrottle: Double
    /// Forward specific force above which, held for `launchDetectTimeS`, the launch is detected.
    public var launchDetectAccelMps2: Double
    public var launchDetectTimeS: Double
    /// Height above the climb-out target at which the launch item counts as done (climb-out margin).
    public var launchClimbMarginM: Double
    /// Receiver latency: a GPS solution is valid this long before its last byte arrives.
    public var gpsLatencyS: Double
    /// Low-pass cut-off of the pitot airspeed used by the control loops.
    public var airspeedFilterHz: Double
    /// Rate at which the barometer is read.
    public var baroRateHz: Double
    /// The launcher's speed over the ground at the end of the rail (a catapult's, or a hand launch's throw), m/s;
    /// 0: not given, and the launch airspeed is not checked at arming.
    public var launcherSpeedMps: Double
    /// The wind along the launcher's rail as the launch crew measured it, m/s: positive from ahead (a headwind),
    /// negative from behind. Set before arming (FLT_LNCH_HWND); a pitot on the rail cannot see a tailwind.
    public var launchHeadwindMps: Double

    public init(launchPitchRad: Double = Angle.radians(fromDegrees: 12), launchThrottle: Double = 1,
                launchDetectAccelMps2: Double = 15, launchDetectTimeS: Double = 0.04, launchClimbMarginM: Double = 3,
                gpsLatencyS: Double = 0.2, airspeedFilterHz: Double = 5, baroRateHz: Double = 50,
                launcherSpeedMps: Double = 0, launchHeadwindMps: Double = 0) {
        self.launchPitchRad = launchPitchRad; self.launchThrottle = launchThrottle
        self.launchDetectAccelMps2 = launchDetectAccelMps2; self.launchDetectTimeS = launchDetectTimeS
        self.launchClimbMarginM = launchClimbMarginM; self.gpsLatencyS = gpsLatencyS
        self.airspeedFilterHz = airspeedFilterHz; self.baroRateHz = baroRateHz
        self.launcherSpeedMps = launcherSpeedMps; self.launchHeadwindMps = launchHeadwindMps
    }

    public static let defaults = FlightSettings()

    enum CodingKeys: String, CodingKey {
        case launchPitchDeg = "launch_pitch_deg", launchThrottle = "launch_throttle"
        case launchDetectAccelMps2 = "launch_detect_accel_mps2", launchDetectTimeS = "launch_detect_time_s"
        case launchClimbMarginM = "launch_climb_margin_m", gpsLatencyS = "gps_latency_s"
        case airspeedFilterHz = "airspeed_filter_hz", baroRateHz = "baro_rate_hz"
        case launcherSpeedMps = "launcher_speed_mps", launchHeadwindMps = "launch_headwind_mps"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        launchPitchRad = Angle.radians(fromDegrees: try c.tunable(
            .launchPitchDeg, default: Angle.degrees(fromRadians: d.launchPitchRad), in: 0...30, unit: "deg"))
        launchThrottle = try c.tunable(.launchThrottle, default: d.launchThrottle, in: 0...1)
        launchDetectAccelMps2 = try c.tunable(.launchDetectAccelMps2, default: d.launchDetectAccelMps2, in: 5...200,
                                              unit: "m/s²")
        launchDetectTimeS = try c.tunable(.launchDetectTimeS, default: d.launchDetectTimeS, in: 0.005...1, unit: "s")
        launchClimbMarginM = try c.tunable(.launchClimbMarginM, default: d.launchClimbMarginM, in: 0...50, unit: "m")
        gpsLatencyS = try c.tunable(.gpsLatencyS, default: d.gpsLatencyS, in: 0...0.3, unit: "s")
        airspeedFilterHz = try c.tunable(.airspeedFilterHz, default: d.airspeedFilterHz, in: 0.1...100, unit: "Hz")
        baroRateHz = try c.tunable(.baroRateHz, default: d.baroRateHz, in: 1...200, unit: "Hz")
        launcherSpeedMps = try c.tunable(.launcherSpeedMps, default: d.launcherSpeedMps, in: 0...60, unit: "m/s")
        launchHeadwindMps = try c.tunable(.launchHeadwindMps, default: d.launchHeadwindMps, in: -40...40, unit: "m/s")
    }
}
