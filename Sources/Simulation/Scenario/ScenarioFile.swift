import ConfigFiles

/// A SITL scenario (`Scenarios/*.toml`), plant side: which airframe, where, in what weather, with which sensor
/// faults, and for the open-loop demo a scripted control schedule. Paths are relative to the scenario file.
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
    public var schedule: [ScheduleEntry]

    enum CodingKeys: String, CodingKey {
        case airframe, durationS = "duration_s", seed, stepRateHz = "step_rate_hz", origin, launch, wind, gusts
        case gpsOutages = "gps_outages", schedule
    }

    public func validate() throws(ConfigValueError) {
        guard !airframe.isEmpty else { throw ConfigValueError(keyPath: "airframe", reason: "is empty") }
        try Self.require(durationS, in: 0.01...86_400, "duration_s", unit: "s")
        if let rate = stepRateHz, rate < 400 || rate > 100_000 || 1_000_000 % rate != 0 {
            throw ConfigValueError(keyPath: "step_rate_hz",
                                   reason: "\(rate) Hz: needs ≥ 400 Hz, ≤ 100 kHz and a divisor of 1 000 000")
        }
        guard let first = schedule.first else {
            throw ConfigValueError(keyPath: "schedule", reason: "needs at least one [[schedule]] entry at time_s = 0")
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
