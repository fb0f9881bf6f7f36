import FlightMath

/// `[control.tecs]`: total energy control of height and airspeed. Energy rates are specific and divided by g, so
/// they read in m/s (1 m/s of total energy rate = climbing at 1 m/s at constant speed).
public struct TECSConfig: Sendable, Equatable, Decodable {
    /// Steady climb rate at full throttle and trim airspeed: the upper limit on the height rate demand and the
    /// scale of the throttle feed-forward above trim.
    public var maxClimbRateMps: Double
    /// Limit on the commanded sink rate.
    public var maxSinkRateMps: Double
    /// Sink rate at minimum throttle and trim airspeed: the scale of the feed-forward below trim.
    public var minSinkRateMps: Double
    public var throttleMin: Double
    public var throttleMax: Double
    /// Throttle holding level flight at trim airspeed.
    public var throttleTrim: Double
    public var pitchMinRad: Double
    public var pitchMaxRad: Double
    /// Height error → height rate demand time constant.
    public var heightTimeConstantS: Double
    /// Airspeed error → acceleration demand time constant.
    public var speedTimeConstantS: Double
    public var maxAccelerationMps2: Double
    /// Throttle per m/s of total energy rate error, and per m of integrated error.
    public var throttleKp: Double
    public var throttleKi: Double
    public var throttleIntegratorLimit: Double
    /// Pitch damping on the energy balance rate error (dimensionless) and its integral gain (1/s).
    public var pitchKp: Double
    public var pitchKi: Double
    public var pitchIntegratorLimitRad: Double
    /// 0 = pitch controls height only, 2 = speed only, 1 = both equally.
    public var speedWeight: Double
    /// Underspeed protection ramps in from `AirspeedConfig.minMps` down to `minMps - underspeedMarginMps`.
    public var underspeedMarginMps: Double
    /// Low-pass cut-off for the airspeed derivative when neither an airspeed rate nor the forward acceleration is
    /// supplied.
    public var airspeedRateCutoffHz: Double
    /// The vertical acceleration the pitch demand's rate of change may ask for: it slews at most a_v / V rad/s;
    /// 0 leaves it unlimited.
    public var maxVerticalAccelerationMps2: Double
    /// The throttle demand's largest change per second (full ranges/s); 0 leaves it unlimited.
    public var throttleSlewPerS: Double
    /// Crossover of the complementary filter that blends the pitot's airspeed (below it) with the accelerometer's
    /// forward acceleration (above it) into the airspeed rate (`AirspeedRateFilter`), rad/s.
    public var airspeedFilterOmegaRadps: Double

    public static let defaults = TECSConfig()

    public init(maxClimbRateMps: Double = 5, maxSinkRateMps: Double = 5, minSinkRateMps: Double = 2,
                throttleMin: Double = 0, throttleMax: Double = 1, throttleTrim: Double = 0.5,
                pitchMinRad: Double = Angle.radians(fromDegrees: -20), pitchMaxRad: Double = Angle.radians(fromDegrees: 20),
                heightTimeConstantS: Double = 5, speedTimeConstantS: Double = 5, maxAccelerationMps2: Double = 2,
                throttleKp: Double = 0.1, throttleKi: Double = 0.02, throttleIntegratorLimit: Double = 0.3,
                pitchKp: Double = 0.3, pitchKi: Double = 0.05, pitchIntegratorLimitRad: Double = 0.25,
                speedWeight: Double = 1, underspeedMarginMps: Double = 2, airspeedRateCutoffHz: Double = 2,
                airspeedFilterOmegaRadps: Double = 2, maxVerticalAccelerationMps2: Double = 7,
                throttleSlewPerS: Double = 0) {
        self.maxClimbRateMps = maxClimbRateMps; self.maxSinkRateMps = maxSinkRateMps
        self.minSinkRateMps = minSinkRateMps
        self.throttleMin = throttleMin; self.throttleMax = throttleMax; self.throttleTrim = throttleTrim
        self.pitchMinRad = pitchMinRad; self.pitchMaxRad = pitchMaxRad
        self.heightTimeConstantS = heightTimeConstantS; self.speedTimeConstantS = speedTimeConstantS
        self.maxAccelerationMps2 = maxAccelerationMps2
        self.throttleKp = throttleKp; self.throttleKi = throttleKi; self.throttleIntegratorLimit = throttleIntegratorLimit
        self.pitchKp = pitchKp; self.pitchKi = pitchKi; self.pitchIntegratorLimitRad = pitchIntegratorLimitRad
        self.speedWeight = speedWeight; self.underspeedMarginMps = underspeedMarginMps
        self.airspeedRateCutoffHz = airspeedRateCutoffHz
        self.airspeedFilterOmegaRadps = airspeedFilterOmegaRadps
        self.maxVerticalAccelerationMps2 = maxVerticalAccelerationMps2; self.throttleSlewPerS = throttleSlewPerS
    }

    enum CodingKeys: String, CodingKey {
        case maxClimbRateMps = "max_climb_rate_mps", maxSinkRateMps = "max_sink_rate_mps"
        case minSinkRateMps = "min_sink_rate_mps"
        case throttleMin = "throttle_min", throttleMax = "throttle_max", throttleTrim = "throttle_trim"
        case pitchMinDeg = "pitch_min_deg", pitchMaxDeg = "pitch_max_deg"
        case heightTcS = "height_tc_s", speedTcS = "speed_tc_s", maxAccelerationMps2 = "max_accel_mps2"
        case throttleKp = "throttle_kp", throttleKi = "throttle_ki", throttleImax = "throttle_imax"
        case pitchKp = "pitch_kp", pitchKi = "pitch_ki", pitchImaxDeg = "pitch_imax_deg"
        case speedWeight = "speed_weight", underspeedMarginMps = "underspeed_margin_mps"
        case airspeedRateCutoffHz = "airspeed_rate_cutoff_hz"
        case airspeedFilterOmegaRadps = "airspeed_filter_omega_radps"
        case maxVerticalAccelerationMps2 = "max_vertical_accel_mps2", throttleSlewPerS = "throttle_slew_per_s"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        func deg(_ rad: Double) -> Double { Angle.degrees(fromRadians: rad) }
        maxClimbRateMps = try c.tunable(.maxClimbRateMps, default: d.maxClimbRateMps, in: 0.5...30, unit: "m/s")
        maxSinkRateMps = try c.tunable(.maxSinkRateMps, default: d.maxSinkRateMps, in: 0.5...30, unit: "m/s")
        minSinkRateMps = try c.tunable(.minSinkRateMps, default: d.minSinkRateMps, in: 0.2...30, unit: "m/s")
        throttleMin = try c.tunable(.throttleMin, default: d.throttleMin, in: 0...1)
        throttleMax = try c.tunable(.throttleMax, default: d.throttleMax, in: 0...1)
        throttleTrim = try c.tunable(.throttleTrim, default: d.throttleTrim, in: 0...1)
        pitchMinRad = Angle.radians(fromDegrees: try c.tunable(.pitchMinDeg, default: deg(d.pitchMinRad),
                                                               in: -60...0, unit: "deg"))
        pitchMaxRad = Angle.radians(fromDegrees: try c.tunable(.pitchMaxDeg, default: deg(d.pitchMaxRad),
                                                               in: 0...60, unit: "deg"))
        heightTimeConstantS = try c.tunable(.heightTcS, default: d.heightTimeConstantS, in: 0.5...60, unit: "s")
        speedTimeConstantS = try c.tunable(.speedTcS, default: d.speedTimeConstantS, in: 0.5...60, unit: "s")
        maxAccelerationMps2 = try c.tunable(.maxAccelerationMps2, default: d.maxAccelerationMps2, in: 0.1...20,
                                            unit: "m/s²")
        throttleKp = try c.tunable(.throttleKp, default: d.throttleKp, in: 0...2)
        throttleKi = try c.tunable(.throttleKi, default: d.throttleKi, in: 0...2)
        throttleIntegratorLimit = try c.tunable(.throttleImax, default: d.throttleIntegratorLimit, in: 0...1)
        pitchKp = try c.tunable(.pitchKp, default: d.pitchKp, in: 0...5)
        pitchKi = try c.tunable(.pitchKi, default: d.pitchKi, in: 0...5)
        pitchIntegratorLimitRad = Angle.radians(fromDegrees: try c.tunable(
            .pitchImaxDeg, default: deg(d.pitchIntegratorLimitRad), in: 0...45, unit: "deg"))
        speedWeight = try c.tunable(.speedWeight, default: d.speedWeight, in: 0...2)
        underspeedMarginMps = try c.tunable(.underspeedMarginMps, default: d.underspeedMarginMps, in: 0.1...20,
                                            unit: "m/s")
        airspeedRateCutoffHz = try c.tunable(.airspeedRateCutoffHz, default: d.airspeedRateCutoffHz, in: 0.05...50,
                                             unit: "Hz")
        airspeedFilterOmegaRadps = try c.tunable(.airspeedFilterOmegaRadps, default: d.airspeedFilterOmegaRadps,
                                                 in: 0.1...20, unit: "rad/s")
        maxVerticalAccelerationMps2 = try c.tunable(.maxVerticalAccelerationMps2,
                                                    default: d.maxVerticalAccelerationMps2, in: 0...50, unit: "m/s²")
        throttleSlewPerS = try c.tunable(.throttleSlewPerS, default: d.throttleSlewPerS, in: 0...100, unit: "1/s")
        guard throttleMin < throttleMax else {
            throw c.invalid(.throttleMax, "throttle_max \(throttleMax) must be above throttle_min \(throttleMin)")
        }
        guard (throttleMin...throttleMax).contains(throttleTrim) else {
            throw c.invalid(.throttleTrim, "throttle_trim \(throttleTrim) must lie within throttle_min…throttle_max")
        }
    }
}
