import ConfigFiles

/// A SITL scenario (`Scenarios/*.toml`), plant side: which airframe, where, in what weather, with which sensor
/// faults, and either a scripted control schedule (open loop) or a `[mission]` the autopilot flies (closed loop).
/// Paths are relative to the scenario file.
public struct ScenarioFile: Codable, Hashable, Sendable, ValidatedConfig {
    public var airframe: String
    public var durationS: Double
    public var seed: UInt64
    public var stepRateHz: Int?
    public var origin: OriginSection
    /// Overrides the airframe file's `[launch]` when present.
    public var launch: LaunchSection?
    public var wind: WindSection
    public var gusts: [GustSection]?
    public var gpsOutages: [GPSOutageSection]?
    /// Chips that stop answering on their bus for a while (closed loop: the emulated board's buses).
    public var deviceFaults: [DeviceFaultSection]?
    /// The flight battery's charge at the start, 0.05…1 (default 1: a fresh pack).
    public var batteryStateOfCharge: Double?
    /// Open loop: the scripted commands. Empty (absent) in a closed-loop scenario.
    public var schedule: [ScheduleEntry]
    /// Closed loop: the mission the autopilot flies and when the catapult fires.
    public var mission: MissionSection?

    /// Sections the autopilot side reads (the scripted operator, the geofence); the plant leaves them alone.
    public static let sectionsReadElsewhere: Set<String> = ["operator", "geofence", "failsafe"]
    /// The top-level keys this type reads, for the readers of the other sections.
    public static var ownKeys: Set<String> { Set(CodingKeys.allCases.map(\.rawValue)) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case airframe, durationS = "duration_s", seed, stepRateHz = "step_rate_hz", origin, launch, wind, gusts
        case gpsOutages = "gps_outages", deviceFaults = "device_faults", schedule, mission
        case batteryStateOfCharge = "battery_state_of_charge"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        airframe = try c.decode(String.self, forKey: .airframe)
        durationS = try c.decode(Double.self, forKey: .durationS)
        seed = try c.decode(UInt64.self, forKey: .seed)
        stepRateHz = try c.decodeIfPresent(Int.self, forKey: .stepRateHz)
        origin = try c.decode(OriginSection.self, forKey: .origin)
        launch = try c.decodeIfPresent(LaunchSection.self, forKey: .launch)
        wind = try c.decode(WindSection.self, forKey: .wind)
        gusts = try c.decodeIfPresent([GustSection].self, forKey: .gusts)
        gpsOutages = try c.decodeIfPresent([GPSOutageSection].self, forKey: .gpsOutages)
        deviceFaults = try c.decodeIfPresent([DeviceFaultSection].self, forKey: .deviceFaults)
        batteryStateOfCharge = try c.decodeIfPresent(Double.self, forKey: .batteryStateOfCharge)
        schedule = try c.decodeIfPresent([ScheduleEntry].self, forKey: .schedule) ?? []
        mission = try c.decodeIfPresent(MissionSection.self, forKey: .mission)
    }

    public func validate() throws(ConfigValueError) {
        guard !airframe.isEmpty else { throw ConfigValueError(keyPath: "airframe", reason: "is empty") }
        try Self.require(durationS, in: 0.01...86_400, "duration_s", unit: "s")
        if let batteryStateOfCharge {
            try Self.require(batteryStateOfCharge, in: 0.05...1, "battery_state_of_charge", unit: "")
        }
        if let rate = stepRateHz, rate < 400 || rate > 100_000 || 1_000_000 % rate != 0 {
            throw ConfigValueError(keyPath: "step_rate_hz",
                                   reason: "\(rate) Hz: needs ≥ 400 Hz, ≤ 100 kHz and a divisor of 1 000 000")
        }
        if let mission {
            guard schedule.isEmpty else {
                throw ConfigValueError(keyPath: "schedule",
                                       reason: "a closed-loop scenario ([mission]) cannot also script the controls")
            }
            guard mission.launchTimeS < durationS else {
                throw ConfigValueError(keyPath: "mission.launch_time_s",
                                       reason: "\(mission.launchTimeS) s is not before the end of the run (\(durationS) s)")
            }
            return
        }
        if let faults = deviceFaults, !faults.isEmpty {
            throw ConfigValueError(keyPath: "device_faults",
                                   reason: "device faults are injected at the emulated board of a closed-loop scenario "
                                       + "([mission]); an open-loop run has no drivers to meet them")
        }
        guard let first = schedule.first else {
            throw ConfigValueError(keyPath: "schedule",
                                   reason: "needs at least one [[schedule]] entry at time_s = 0, or a [mission]")
        }
        guard first.timeS == 0 else {
            throw ConfigValueError(keyPath: "schedule[0].time_s", reason: "the first entry must be at 0 s")
        }
        for i in schedule.indices.dropFirst() where !(schedule[i].timeS > schedule[i - 1].timeS) {
            throw ConfigValueError(keyPath: "schedule[\(i)].time_s",
                                   reason: "\(schedule[i].timeS) s is not after the previous entry")
        }
        for (i, entry) in schedule.enumerated() {
            do { try entry.validate() } catch {
                throw ConfigValueError(keyPath: "schedule[\(i)].\(error.keyPath)", reason: error.reason)
            }
        }
    }
}

/// `[mission]`: what the autopilot flies in a closed-loop scenario. The vehicle sits on the catapult from the
/// start (the autopilot aligns and arms there) until `launch_time_s`, when the catapult accelerates it along the
/// rail to the `[launch]` speed.
public struct MissionSection: Codable, Hashable, Sendable, ValidatedConfig {
    /// Mission plan (TOML), relative to the scenario file.
    public var file: String
    /// Board file (TOML) the autopilot runs on, relative to the scenario file; must be an emulated board.
    public var board: String
    public var launchTimeS: Double
    /// Duration of the catapult stroke (constant acceleration to the launch speed).
    public var catapultStrokeS: Double?
    /// Whether the launch crew tells the vehicle the wind along the rail before arming (FLT_LNCH_HWND, from this
    /// scenario's `[wind]` and the launcher's heading), as README asks of a crew. Default true; false plays a crew
    /// that did not, so the vehicle assumes calm air.
    public var declareLaunchWind: Bool?

    enum CodingKeys: String, CodingKey {
        case file, board, launchTimeS = "launch_time_s", catapultStrokeS = "catapult_stroke_s"
        case declareLaunchWind = "declare_launch_wind"
    }

    public func validate() throws(ConfigValueError) {
        guard !file.isEmpty else { throw ConfigValueError(keyPath: "file", reason: "is empty") }
        guard !board.isEmpty else { throw ConfigValueError(keyPath: "board", reason: "is empty") }
        try Self.require(launchTimeS, in: 1...3600, "launch_time_s", unit: "s")
        if let stroke = catapultStrokeS { try Self.require(stroke, in: 0.05...2, "catapult_stroke_s", unit: "s") }
    }
}

/// `[origin]`: the local frame's origin, on the ground at the launch point.
public struct OriginSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var latitudeDeg: Double
    public var longitudeDeg: Double
    /// Height of the ground above mean sea level.
    public var altitudeM: Double

    enum CodingKeys: String, CodingKey {
        case latitudeDeg = "latitude_deg", longitudeDeg = "longitude_deg", altitudeM = "altitude_m"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(latitudeDeg, in: -89...89, "latitude_deg", unit: "deg")
        try Self.require(longitudeDeg, in: -180...180, "longitude_deg", unit: "deg")
        try Self.require(altitudeM, in: -400...8000, "altitude_m", unit: "m")
    }
}

/// `[wind]`: steady wind as the velocity of the air (a wind *from* the west is `east_mps > 0`) and turbulence.
public struct WindSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var northMps: Double
    public var eastMps: Double
    public var downMps: Double
    public var turbulence: TurbulenceIntensity

    enum CodingKeys: String, CodingKey {
        case northMps = "north_mps", eastMps = "east_mps", downMps = "down_mps", turbulence
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(northMps, in: -40...40, "north_mps", unit: "m/s")
        try Self.require(eastMps, in: -40...40, "east_mps", unit: "m/s")
        try Self.require(downMps, in: -10...10, "down_mps", unit: "m/s")
    }
}

/// `[[gusts]]`: a 1 − cosine gust peaking at the given NED air velocity half way through.
public struct GustSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var startS: Double
    public var durationS: Double
    public var northMps: Double
    public var eastMps: Double
    public var downMps: Double

    enum CodingKeys: String, CodingKey {
        case startS = "start_s", durationS = "duration_s", northMps = "north_mps", eastMps = "east_mps"
        case downMps = "down_mps"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(startS, in: 0...86_400, "start_s", unit: "s")
        try Self.require(durationS, in: 0.05...600, "duration_s", unit: "s")
        try Self.require(northMps, in: -30...30, "north_mps", unit: "m/s")
        try Self.require(eastMps, in: -30...30, "east_mps", unit: "m/s")
        try Self.require(downMps, in: -15...15, "down_mps", unit: "m/s")
    }
}

/// `[[gps_outages]]`: a window without GPS fix.
public struct GPSOutageSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var startS: Double
    public var durationS: Double

    enum CodingKeys: String, CodingKey {
        case startS = "start_s", durationS = "duration_s"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(startS, in: 0...86_400, "start_s", unit: "s")
        try Self.require(durationS, in: 0.01...86_400, "duration_s", unit: "s")
    }
}

/// `[[schedule]]`: normalised commands held from `time_s` until the next entry. Surfaces are named by function;
/// a function the airframe does not have is an error, one it has but the entry omits is held at 0.
public struct ScheduleEntry: Codable, Hashable, Sendable {
    public var timeS: Double
    public var throttle: Double
    public var aileron: Double?
    public var elevator: Double?
    public var rudder: Double?
    public var elevonLeft: Double?
    public var elevonRight: Double?

    enum CodingKeys: String, CodingKey {
        case timeS = "time_s", throttle, aileron, elevator, rudder, elevonLeft = "elevon_left"
        case elevonRight = "elevon_right"
    }

    public func value(for function: SurfaceFunction) -> Double? {
        switch function {
        case .aileron: return aileron
        case .elevator: return elevator
        case .rudder: return rudder
        case .elevonLeft: return elevonLeft
        case .elevonRight: return elevonRight
        }
    }

    func validate() throws(ConfigValueError) {
        guard timeS.isFinite, timeS >= 0 else {
            throw ConfigValueError(keyPath: "time_s", reason: "\(timeS) s must be a finite time ≥ 0")
        }
        guard throttle.isFinite, (0...1).contains(throttle) else {
            throw ConfigValueError(keyPath: "throttle", reason: "\(throttle) is outside 0…1")
        }
        for function in SurfaceFunction.allCases {
            if let v = value(for: function), !(v.isFinite && (-1...1).contains(v)) {
                throw ConfigValueError(keyPath: function.rawValue, reason: "\(v) is outside −1…1")
            }
        }
    }
}
