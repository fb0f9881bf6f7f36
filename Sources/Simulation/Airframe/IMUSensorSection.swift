import ConfigFiles
import FlightMath

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
    /// Time constant of the die's self-heating after power-on: the die starts at the air's temperature and
    /// approaches `temperature_offset_c` above it, so the thermal bias drifts through the first minutes.
    public var warmupTimeConstantS: Double = IMUSensorSection.defaultWarmupTimeConstantS
    /// 1σ of the board's mounting error about each body axis (the IMU's axes are not the airframe's).
    public var misalignmentSigmaDeg: Double = IMUSensorSection.defaultMisalignmentSigmaDeg
    /// 1σ of each off-diagonal cross-axis coupling term (MPU-6050 datasheet: cross-axis sensitivity ±2 %).
    public var accelCrossAxisSigma: Double = IMUSensorSection.defaultCrossAxisSigma
    public var gyroCrossAxisSigma: Double = IMUSensorSection.defaultCrossAxisSigma
    /// 1σ per axis of the gyro's sensitivity to linear acceleration (MPU-6050 datasheet: 0.1 °/s/g).
    public var gyroGSensitivityDpsPerG: Double = IMUSensorSection.defaultGyroGSensitivityDpsPerG
    /// Where the IMU sits relative to the centre of gravity, body FRD: the accelerometer also feels the
    /// centripetal and tangential accelerations of that point.
    public var leverArmFRDM: [Double] = [0, 0, 0]
    /// Propeller-driven vibration; absent means none (a glider, or an old airframe file).
    public var vibration: IMUVibrationSection?

    public static let defaultWarmupTimeConstantS = 180.0
    public static let defaultMisalignmentSigmaDeg = 0.5
    public static let defaultCrossAxisSigma = 0.01
    public static let defaultGyroGSensitivityDpsPerG = 0.1

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
        case warmupTimeConstantS = "warmup_time_constant_s", misalignmentSigmaDeg = "misalignment_sigma_deg"
        case accelCrossAxisSigma = "accel_cross_axis_sigma", gyroCrossAxisSigma = "gyro_cross_axis_sigma"
        case gyroGSensitivityDpsPerG = "gyro_g_sensitivity_dps_per_g", leverArmFRDM = "lever_arm_frd_m"
        case vibration
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rateHz = try c.decode(Double.self, forKey: .rateHz)
        temperatureOffsetC = try c.decode(Double.self, forKey: .temperatureOffsetC)
        accelNoiseDensityMps2PerRtHz = try c.decode(Double.self, forKey: .accelNoiseDensityMps2PerRtHz)
        accelBiasInstabilityMps2 = try c.decode(Double.self, forKey: .accelBiasInstabilityMps2)
        accelBiasCorrelationTimeS = try c.decode(Double.self, forKey: .accelBiasCorrelationTimeS)
        accelRandomWalkMps3PerRtHz = try c.decode(Double.self, forKey: .accelRandomWalkMps3PerRtHz)
        accelTurnOnBiasMps2 = try c.decode(Double.self, forKey: .accelTurnOnBiasMps2)
        accelScaleFactorError = try c.decode(Double.self, forKey: .accelScaleFactorError)
        accelBiasPerDegCMps2 = try c.decode(Double.self, forKey: .accelBiasPerDegCMps2)
        gyroNoiseDensityRadpsPerRtHz = try c.decode(Double.self, forKey: .gyroNoiseDensityRadpsPerRtHz)
        gyroBiasInstabilityRadps = try c.decode(Double.self, forKey: .gyroBiasInstabilityRadps)
        gyroBiasCorrelationTimeS = try c.decode(Double.self, forKey: .gyroBiasCorrelationTimeS)
        gyroRandomWalkRadps2PerRtHz = try c.decode(Double.self, forKey: .gyroRandomWalkRadps2PerRtHz)
        gyroTurnOnBiasRadps = try c.decode(Double.self, forKey: .gyroTurnOnBiasRadps)
        gyroScaleFactorError = try c.decode(Double.self, forKey: .gyroScaleFactorError)
        gyroBiasPerDegCRadps = try c.decode(Double.self, forKey: .gyroBiasPerDegCRadps)
        warmupTimeConstantS = try c.decodeIfPresent(Double.self, forKey: .warmupTimeConstantS)
            ?? Self.defaultWarmupTimeConstantS
        misalignmentSigmaDeg = try c.decodeIfPresent(Double.self, forKey: .misalignmentSigmaDeg)
            ?? Self.defaultMisalignmentSigmaDeg
        accelCrossAxisSigma = try c.decodeIfPresent(Double.self, forKey: .accelCrossAxisSigma) ?? Self.defaultCrossAxisSigma
        gyroCrossAxisSigma = try c.decodeIfPresent(Double.self, forKey: .gyroCrossAxisSigma) ?? Self.defaultCrossAxisSigma
        gyroGSensitivityDpsPerG = try c.decodeIfPresent(Double.self, forKey: .gyroGSensitivityDpsPerG)
            ?? Self.defaultGyroGSensitivityDpsPerG
        leverArmFRDM = try c.decodeIfPresent([Double].self, forKey: .leverArmFRDM) ?? [0, 0, 0]
        vibration = try c.decodeIfPresent(IMUVibrationSection.self, forKey: .vibration)
    }

    /// The lever arm as a vector (validated to three values).
    public var leverArm: Vector3 {
        leverArmFRDM.count == 3 ? Vector3(leverArmFRDM[0], leverArmFRDM[1], leverArmFRDM[2]) : .zero
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
        try Self.require(warmupTimeConstantS, in: 0...3600, "warmup_time_constant_s", unit: "s")
        try Self.require(misalignmentSigmaDeg, in: 0...5, "misalignment_sigma_deg", unit: "deg")
        try Self.require(accelCrossAxisSigma, in: 0...0.05, "accel_cross_axis_sigma")
        try Self.require(gyroCrossAxisSigma, in: 0...0.05, "gyro_cross_axis_sigma")
        try Self.require(gyroGSensitivityDpsPerG, in: 0...1, "gyro_g_sensitivity_dps_per_g", unit: "°/s/g")
        guard leverArmFRDM.count == 3 else {
            throw ConfigValueError(keyPath: "lever_arm_frd_m",
                                   reason: "needs 3 values (forward, right, down), found \(leverArmFRDM.count)")
        }
        for (i, v) in leverArmFRDM.enumerated() {
            try Self.require(v, in: -1...1, "lever_arm_frd_m[\(i)]", unit: "m")
        }
    }
}
