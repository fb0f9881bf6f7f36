import ConfigFiles

/// `[sensors]`: error models of the simulated sensors. All random parts are 1σ values; the draws come from the
/// scenario's seed, so a run is reproducible.
public struct SensorsSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var imu: IMUSensorSection
    public var baro: BaroSensorSection
    public var gps: GPSSensorSection
    public var mag: MagSensorSection
    public var airspeed: AirspeedSensorSection

    public func validate() throws(ConfigValueError) {}
}

func requireRate(_ hz: Double, _ key: String) throws(ConfigValueError) {
    guard hz.isFinite, hz >= 1, hz <= 1000 else {
        throw ConfigValueError(keyPath: key, reason: "\(hz) Hz is outside the accepted range 1…1000 Hz")
    }
}

/// `[sensors.imu]`: MEMS accelerometer and gyroscope. Noise densities are per √Hz (white noise; σ per sample is
/// density·√rate), bias instability is a first-order Gauss–Markov process, random walk integrates white noise.
public struct IMUSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    /// Die temperature above the ambient air (self-heating of the board).
    public var temperatureOffsetC: Double
    public var accelNoiseDensityMps2PerRtHz: Double
    public var accelBiasInstabilityMps2: Double
    public var accelBiasCorrelationTimeS: Double
    public var accelRandomWalkMps3PerRtHz: Double
    public var accelTurnOnBiasMps2: Double
    public var accelScaleFactorError: Double
    public var accelBiasPerDegCMps2: Double
    public var gyroNoiseDensityRadpsPerRtHz: Double
    public var gyroBiasInstabilityRadps: Double
    public var gyroBiasCorrelationTimeS: Double
    public var gyroRandomWalkRadps2PerRtHz: Double
    public var gyroTurnOnBiasRadps: Double
    public var gyroScaleFactorError: Double
    public var gyroBiasPerDegCRadps: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", temperatureOffsetC = "temperature_offset_c"
        case accelNoiseDensityMps2PerRtHz = "accel_noise_density_mps2_per_rthz"
        case accelBiasInstabilityMps2 = "accel_bias_instability_mps2"
        case accelBiasCorrelationTimeS = "accel_bias_correlation_time_s"
        case accelRandomWalkMps3PerRtHz = "accel_random_walk_mps3_per_rthz"
        case accelTurnOnBiasMps2 = "accel_turn_on_bias_mps2"
        case accelScaleFactorError = "accel_scale_factor_error"
        case accelBiasPerDegCMps2 = "accel_bias_per_degc_mps2"
        case gyroNoiseDensityRadpsPerRtHz = "gyro_noise_density_radps_per_rthz"
        case gyroBiasInstabilityRadps = "gyro_bias_instability_radps"
        case gyroBiasCorrelationTimeS = "gyro_bias_correlation_time_s"
        case gyroRandomWalkRadps2PerRtHz = "gyro_random_walk_radps2_per_rthz"
        case gyroTurnOnBiasRadps = "gyro_turn_on_bias_radps"
        case gyroScaleFactorError = "gyro_scale_factor_error"
        case gyroBiasPerDegCRadps = "gyro_bias_per_degc_radps"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(temperatureOffsetC, in: -20...60, "temperature_offset_c", unit: "°C")
        try Self.require(accelNoiseDensityMps2PerRtHz, in: 0...0.1, "accel_noise_density_mps2_per_rthz")
        try Self.require(accelBiasInstabilityMps2, in: 0...1, "accel_bias_instability_mps2", unit: "m/s²")
        try Self.require(accelBiasCorrelationTimeS, in: 1...100_000, "accel_bias_correlation_time_s", unit: "s")
        try Self.require(accelRandomWalkMps3PerRtHz, in: 0...0.1, "accel_random_walk_mps3_per_rthz")
        try Self.require(accelTurnOnBiasMps2, in: 0...2, "accel_turn_on_bias_mps2", unit: "m/s²")
        try Self.require(accelScaleFactorError, in: 0...0.1, "accel_scale_factor_error")
        try Self.require(accelBiasPerDegCMps2, in: 0...0.1, "accel_bias_per_degc_mps2", unit: "m/s²/°C")
        try Self.require(gyroNoiseDensityRadpsPerRtHz, in: 0...0.01, "gyro_noise_density_radps_per_rthz")
        try Self.require(gyroBiasInstabilityRadps, in: 0...0.1, "gyro_bias_instability_radps", unit: "rad/s")
        try Self.require(gyroBiasCorrelationTimeS, in: 1...100_000, "gyro_bias_correlation_time_s", unit: "s")
        try Self.require(gyroRandomWalkRadps2PerRtHz, in: 0...0.01, "gyro_random_walk_radps2_per_rthz")
        try Self.require(gyroTurnOnBiasRadps, in: 0...0.5, "gyro_turn_on_bias_radps", unit: "rad/s")
        try Self.require(gyroScaleFactorError, in: 0...0.1, "gyro_scale_factor_error")
        try Self.require(gyroBiasPerDegCRadps, in: 0...0.01, "gyro_bias_per_degc_radps", unit: "rad/s/°C")
    }
}

/// `[sensors.baro]`: static pressure sensor.
public struct BaroSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    public var noisePa: Double
    /// 1σ of the offset drawn at power-on.
    public var offsetSigmaPa: Double
    /// Slow thermal drift of the offset.
    public var driftPaPerS: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", noisePa = "noise_pa", offsetSigmaPa = "offset_sigma_pa", driftPaPerS = "drift_pa_per_s"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(noisePa, in: 0...100, "noise_pa", unit: "Pa")
        try Self.require(offsetSigmaPa, in: 0...1000, "offset_sigma_pa", unit: "Pa")
        try Self.require(driftPaPerS, in: -10...10, "drift_pa_per_s", unit: "Pa/s")
    }
}

/// `[sensors.gps]`: receiver solution. Position errors are correlated (Gauss–Markov), velocity errors white.
public struct GPSSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    /// Age of a solution when it reaches the flight computer.
    public var latencyS: Double
    public var horizontalSigmaM: Double
    public var verticalSigmaM: Double
    public var positionCorrelationTimeS: Double
    public var velocitySigmaMps: Double
    public var satellites: Int

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", latencyS = "latency_s", horizontalSigmaM = "horizontal_sigma_m"
        case verticalSigmaM = "vertical_sigma_m", positionCorrelationTimeS = "position_correlation_time_s"
        case velocitySigmaMps = "velocity_sigma_mps", satellites
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(rateHz, in: 1...20, "rate_hz", unit: "Hz")
        // The pending-solution queue holds GPSSensorModel.maxPendingFixes solutions.
        try Self.require(latencyS, in: 0...(Double(GPSSensorModel.maxPendingFixes - 1) / rateHz), "latency_s", unit: "s")
        try Self.require(horizontalSigmaM, in: 0...100, "horizontal_sigma_m", unit: "m")
        try Self.require(verticalSigmaM, in: 0...100, "vertical_sigma_m", unit: "m")
        try Self.require(positionCorrelationTimeS, in: 1...10_000, "position_correlation_time_s", unit: "s")
        try Self.require(velocitySigmaMps, in: 0...10, "velocity_sigma_mps", unit: "m/s")
        guard (4...64).contains(satellites) else {
            throw ConfigValueError(keyPath: "satellites", reason: "\(satellites) is outside the accepted range 4…64")
        }
    }
}

/// `[sensors.mag]`: three-axis magnetometer in a fixed earth field.
public struct MagSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    /// Earth field at the flying site (a world magnetic model value for the place, entered by hand).
    public var declinationDeg: Double
    public var inclinationDeg: Double
    public var fieldStrengthGauss: Double
    /// Constant field of the airframe itself (motor magnets, steel), body FRD.
    public var hardIronFRDGauss: [Double]
    public var noiseGauss: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", declinationDeg = "declination_deg", inclinationDeg = "inclination_deg"
        case fieldStrengthGauss = "field_strength_gauss", hardIronFRDGauss = "hard_iron_frd_gauss"
        case noiseGauss = "noise_gauss"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(declinationDeg, in: -180...180, "declination_deg", unit: "deg")
        try Self.require(inclinationDeg, in: -90...90, "inclination_deg", unit: "deg")
        try Self.require(fieldStrengthGauss, in: 0.2...0.7, "field_strength_gauss", unit: "G")
        guard hardIronFRDGauss.count == 3 else {
            throw ConfigValueError(keyPath: "hard_iron_frd_gauss",
                                   reason: "needs 3 values (forward, right, down), found \(hardIronFRDGauss.count)")
        }
        for (i, v) in hardIronFRDGauss.enumerated() {
            try Self.require(v, in: -2...2, "hard_iron_frd_gauss[\(i)]", unit: "G")
        }
        try Self.require(noiseGauss, in: 0...0.1, "noise_gauss", unit: "G")
    }
}

/// `[sensors.airspeed]`: pitot-static differential pressure sensor.
public struct AirspeedSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    public var noisePa: Double
    public var offsetPa: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", noisePa = "noise_pa", offsetPa = "offset_pa"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(noisePa, in: 0...50, "noise_pa", unit: "Pa")
        try Self.require(offsetPa, in: -100...100, "offset_pa", unit: "Pa")
    }
}
