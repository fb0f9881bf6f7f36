import ConfigFiles

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
