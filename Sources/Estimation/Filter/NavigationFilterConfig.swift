import FlightMath

/// Tuning of the navigation filter. SI units, named in the keys; every key is optional in a file and falls back to
/// the default below, and a value outside its plausible range is rejected while decoding, naming the key.
///
/// Noise densities are one-sided power spectral densities (per √Hz): a sensor sampled at f Hz with density N has a
/// per-sample standard deviation of about N·√f.
public struct NavigationFilterConfig: Sendable, Equatable {
    // Inertial process noise.
    public var gyroNoiseDensityRadpsPerRtHz = 0.003
    public var accelNoiseDensityMps2PerRtHz = 0.035
    public var gyroBiasWalkRadpsPerRtS = 1.0e-4
    public var accelBiasWalkMps2PerRtS = 1.0e-3
    public var windWalkMpsPerRtS = 0.1

    // Initial uncertainty and variance limits.
    public var initialTiltSigmaRad = 0.05
    public var initialYawSigmaRad = 0.15
    /// Heading uncertainty after aligning without a magnetometer, until the GPS course sets it.
    public var unalignedYawSigmaRad = 0.3
    public var initialGyroBiasSigmaRadps = 0.01
    public var initialAccelBiasSigmaMps2 = 0.2
    public var initialWindSigmaMps = 5.0
    public var maxGyroBiasSigmaRadps = 0.05
    public var maxAccelBiasSigmaMps2 = 0.5
    public var maxWindSigmaMps = 10.0

    // Time alignment.
    /// The filter runs this far behind the newest IMU sample so every measurement can be fused at the instant it
    /// was taken; it must exceed the largest sensor latency (GPS 100–200 ms) and fit the IMU buffer.
    public var fusionHorizonS = 0.25
    public var imuMaxGapS = 0.05
    /// What the vehicle may have done during an IMU gap beyond `imuMaxGapS` (1σ): turned at this rate (the attitude
    /// uncertainty it adds is capped at `imuGapMaxAttitudeSigmaRad`) and accelerated at this much.
    public var imuGapRateSigmaRadps = 0.2
    public var imuGapMaxAttitudeSigmaRad = 0.5
    public var imuGapAccelSigmaMps2 = 3.0

    // Initialisation on the ground.
    public var alignmentDurationS = 2.0
    public var alignmentMaxGyroRadps = 0.1
    public var alignmentMaxAccelDeviationMps2 = 1.0
    public var stationaryPositionNoiseM = 1.0
    public var stationaryVelocityNoiseMps = 0.3
    /// Without a magnetometer heading, the yaw is set from the GPS course once the ground speed exceeds this.
    public var yawAlignMinGroundSpeedMps = 8.0

    // GPS.
    public var gpsMinSatellites = 6
    public var gpsMaxHorizontalAccuracyM = 5.0
    public var gpsMaxSpeedAccuracyMps = 1.0
    public var gpsPositionNoiseMinM = 0.5
    public var gpsVerticalNoiseMinM = 1.5
    public var gpsVelocityNoiseMinMps = 0.15
    public var gpsPositionGateSigma = 5.0
    public var gpsVelocityGateSigma = 5.0
    public var gpsTimeoutS = 1.0
    /// A GPS rejected continuously for this long is believed over the filter: position and velocity are reset.
    public var gpsResetAfterRejectedS = 7.0

    // Barometer.
    public var baroNoiseM = 0.5
    public var baroGateSigma = 5.0
    public var baroTimeoutS = 0.5
    /// Random walk of the barometer's offset (thermal drift, weather), learnt from GPS height.
    public var baroOffsetDriftMPerRtS = 0.01
    /// Correlation time of the GPS height error: fixes closer than this are nearly the same error, so the baro
    /// offset learns from GPS height only as fast as that error decorrelates. 0 treats every fix as independent.
    public var gpsHeightCorrelationTimeS = 60.0

    // Magnetometer (heading only: the field's direction in the horizontal plane).
    public var useMagnetometer = true
    public var magHeadingNoiseRad = 0.05
    public var magDeclinationRad = 0.0
    /// Hard-iron calibration: the airframe's own field, subtracted from every sample before use.
    public var magHardIronFRDGauss = Vector3.zero
    public var magGateSigma = 5.0
    public var magMinHorizontalFieldGauss = 0.05
    public var magTimeoutS = 1.0

    // Airspeed.
    public var useAirspeed = true
    public var airspeedNoiseMps = 1.0
    public var airspeedGateSigma = 5.0
    public var airspeedMinFusionMps = 8.0
    public var airspeedTimeoutS = 1.0
    /// Airspeed refused for this long resets the wind from the airspeed and the heading (see `resetWind`).
    public var windResetAfterRejectionS = 2.0
    /// Zero sideslip fused as a measurement while the pitot is fused (a fixed wing flies with its nose into the
    /// relative wind): without it the wind is known only through |v − w| = TAS, a circle of solutions, and the filter
    /// can settle on the mirror image of the true wind until the vehicle turns (seen in 10 m/s wind: a 19 m/s wind
    /// estimated from the wrong side, and guidance circling downwind).
    public var useSideslip = true
    public var sideslipNoiseRad = 0.3
    public var sideslipGateSigma = 5.0
    /// Sideslip is fused only once the heading is known this well (1σ): fused against a heading that is still the
    /// launch's GPS course, it pulled the attitude 170° off on one seed of the 10 m/s wind set.
    public var sideslipMaxYawSigmaRad = 0.15

    // Health.
    /// A sensor whose measurements were all rejected for this long is failed; rejected recently, degraded.
    public var rejectionFailS = 2.0
    public var degradedHoldS = 2.0
    public var positionValidMaxSigmaM = 20.0
    public var velocityValidMaxSigmaMps = 2.0
    public var attitudeValidMaxTiltSigmaRad = 0.1
    public var attitudeValidMaxYawSigmaRad = 0.35
    public var deadReckoningLimitS = 30.0

    public init() {}

    /// The longest fusion horizon the IMU buffer can hold at `imuRateHz`.
    public static func maxFusionHorizonS(imuRateHz: Double) -> Double {
        Double(NavigationFilter.imuBufferCapacity - 2) / imuRateHz
    }
}

extension NavigationFilterConfig: Decodable {
    enum CodingKeys: String, CodingKey {
        case gyroNoiseDensityRadpsPerRtHz = "gyro_noise_density_radps_per_rthz"
        case accelNoiseDensityMps2PerRtHz = "accel_noise_density_mps2_per_rthz"
        case gyroBiasWalkRadpsPerRtS = "gyro_bias_walk_radps_per_rts"
        case accelBiasWalkMps2PerRtS = "accel_bias_walk_mps2_per_rts"
        case windWalkMpsPerRtS = "wind_walk_mps_per_rts"
        case initialTiltSigmaRad = "initial_tilt_sigma_rad"
        case initialYawSigmaRad = "initial_yaw_sigma_rad"
        case unalignedYawSigmaRad = "unaligned_yaw_sigma_rad"
        case initialGyroBiasSigmaRadps = "initial_gyro_bias_sigma_radps"
        case initialAccelBiasSigmaMps2 = "initial_accel_bias_sigma_mps2"
        case initialWindSigmaMps = "initial_wind_sigma_mps"
        case maxGyroBiasSigmaRadps = "max_gyro_bias_sigma_radps"
        case maxAccelBiasSigmaMps2 = "max_accel_bias_sigma_mps2"
        case maxWindSigmaMps = "max_wind_sigma_mps"
        case fusionHorizonS = "fusion_horizon_s"
        case imuMaxGapS = "imu_max_gap_s"
        case imuGapRateSigmaRadps = "imu_gap_rate_sigma_radps"
        case imuGapMaxAttitudeSigmaRad = "imu_gap_max_attitude_sigma_rad"
        case imuGapAccelSigmaMps2 = "imu_gap_accel_sigma_mps2"
        case alignmentDurationS = "alignment_duration_s"
        case alignmentMaxGyroRadps = "alignment_max_gyro_radps"
        case alignmentMaxAccelDeviationMps2 = "alignment_max_accel_deviation_mps2"
        case stationaryPositionNoiseM = "stationary_position_noise_m"
        case stationaryVelocityNoiseMps = "stationary_velocity_noise_mps"
        case yawAlignMinGroundSpeedMps = "yaw_align_min_ground_speed_mps"
        case gpsMinSatellites = "gps_min_satellites"
        case gpsMaxHorizontalAccuracyM = "gps_max_horizontal_accuracy_m"
        case gpsMaxSpeedAccuracyMps = "gps_max_speed_accuracy_mps"
        case gpsPositionNoiseMinM = "gps_position_noise_min_m"
        case gpsVerticalNoiseMinM = "gps_vertical_noise_min_m"
        case gpsVelocityNoiseMinMps = "gps_velocity_noise_min_mps"
        case gpsPositionGateSigma = "gps_position_gate_sigma"
        case gpsVelocityGateSigma = "gps_velocity_gate_sigma"
        case gpsTimeoutS = "gps_timeout_s"
        case gpsResetAfterRejectedS = "gps_reset_after_rejected_s"
        case baroNoiseM = "baro_noise_m"
        case baroGateSigma = "baro_gate_sigma"
        case baroTimeoutS = "baro_timeout_s"
        case baroOffsetDriftMPerRtS = "baro_offset_drift_m_per_rts"
        case gpsHeightCorrelationTimeS = "gps_height_correlation_time_s"
        case useMagnetometer = "use_magnetometer"
        case magHeadingNoiseRad = "mag_heading_noise_rad"
        case magDeclinationRad = "mag_declination_rad"
        case magHardIronFRDGauss = "mag_hard_iron_frd_gauss"
        case magGateSigma = "mag_gate_sigma"
        case magMinHorizontalFieldGauss = "mag_min_horizontal_field_gauss"
        case magTimeoutS = "mag_timeout_s"
        case useAirspeed = "use_airspeed"
        case airspeedNoiseMps = "airspeed_noise_mps"
        case airspeedGateSigma = "airspeed_gate_sigma"
        case airspeedMinFusionMps = "airspeed_min_fusion_mps"
        case airspeedTimeoutS = "airspeed_timeout_s"
        case windResetAfterRejectionS = "wind_reset_rejected_s"
        case useSideslip = "use_beta", sideslipNoiseRad = "beta_noise_rad"
        case sideslipGateSigma = "beta_gate_sigma", sideslipMaxYawSigmaRad = "beta_yaw_sigma_rad"
        case rejectionFailS = "rejection_fail_s"
        case degradedHoldS = "degraded_hold_s"
        case positionValidMaxSigmaM = "position_valid_max_sigma_m"
        case velocityValidMaxSigmaMps = "velocity_valid_max_sigma_mps"
        case attitudeValidMaxTiltSigmaRad = "attitude_valid_max_tilt_sigma_rad"
        case attitudeValidMaxYawSigmaRad = "attitude_valid_max_yaw_sigma_rad"
        case deadReckoningLimitS = "dead_reckoning_limit_s"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let recorder = decoder.tunableRecorder
        let d = NavigationFilterConfig()
        /// A present key must hold a finite value inside `range`; an absent key keeps the default.
        func value(_ key: CodingKeys, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            guard let v = try c.decodeIfPresent(Double.self, forKey: key) else {
                recorder?.note(c.codingPath + [key], fallback, range)
                return fallback
            }
            guard v.isFinite, range.contains(v) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c,
                    debugDescription: "\(key.stringValue) = \(v) is outside \(range.lowerBound)...\(range.upperBound)")
            }
            recorder?.note(c.codingPath + [key], v, range)
            return v
        }
        func flag(_ key: CodingKeys, _ fallback: Bool) throws -> Bool {
            let v = try c.decodeIfPresent(Bool.self, forKey: key) ?? fallback
            recorder?.note(c.codingPath + [key], v ? 1 : 0, 0...1, kind: .flag)
            return v
        }
        gyroNoiseDensityRadpsPerRtHz = try value(.gyroNoiseDensityRadpsPerRtHz, d.gyroNoiseDensityRadpsPerRtHz, 1e-6...1)
        accelNoiseDensityMps2PerRtHz = try value(.accelNoiseDensityMps2PerRtHz, d.accelNoiseDensityMps2PerRtHz, 1e-5...10)
        gyroBiasWalkRadpsPerRtS = try value(.gyroBiasWalkRadpsPerRtS, d.gyroBiasWalkRadpsPerRtS, 0...0.1)
        accelBiasWalkMps2PerRtS = try value(.accelBiasWalkMps2PerRtS, d.accelBiasWalkMps2PerRtS, 0...1)
        windWalkMpsPerRtS = try value(.windWalkMpsPerRtS, d.windWalkMpsPerRtS, 0...10)
        initialTiltSigmaRad = try value(.initialTiltSigmaRad, d.initialTiltSigmaRad, 1e-4...1)
        initialYawSigmaRad = try value(.initialYawSigmaRad, d.initialYawSigmaRad, 1e-4...3.2)
        unalignedYawSigmaRad = try value(.unalignedYawSigmaRad, d.unalignedYawSigmaRad, 1e-4...3.2)
        initialGyroBiasSigmaRadps = try value(.initialGyroBiasSigmaRadps, d.initialGyroBiasSigmaRadps, 1e-6...1)
        initialAccelBiasSigmaMps2 = try value(.initialAccelBiasSigmaMps2, d.initialAccelBiasSigmaMps2, 1e-5...5)
        initialWindSigmaMps = try value(.initialWindSigmaMps, d.initialWindSigmaMps, 0.01...50)
        maxGyroBiasSigmaRadps = try value(.maxGyroBiasSigmaRadps, d.maxGyroBiasSigmaRadps, 1e-5...1)
        maxAccelBiasSigmaMps2 = try value(.maxAccelBiasSigmaMps2, d.maxAccelBiasSigmaMps2, 1e-4...5)
        maxWindSigmaMps = try value(.maxWindSigmaMps, d.maxWindSigmaMps, 0.1...50)
        fusionHorizonS = try value(.fusionHorizonS, d.fusionHorizonS, 0...Self.maxFusionHorizonS(imuRateHz: 400))
        imuMaxGapS = try value(.imuMaxGapS, d.imuMaxGapS, 0.001...1)
        imuGapRateSigmaRadps = try value(.imuGapRateSigmaRadps, d.imuGapRateSigmaRadps, 0...10)
        imuGapMaxAttitudeSigmaRad = try value(.imuGapMaxAttitudeSigmaRad, d.imuGapMaxAttitudeSigmaRad, 0...1)
        imuGapAccelSigmaMps2 = try value(.imuGapAccelSigmaMps2, d.imuGapAccelSigmaMps2, 0...100)
        alignmentDurationS = try value(.alignmentDurationS, d.alignmentDurationS, 0.1...60)
        alignmentMaxGyroRadps = try value(.alignmentMaxGyroRadps, d.alignmentMaxGyroRadps, 0.001...1)
        alignmentMaxAccelDeviationMps2 = try value(.alignmentMaxAccelDeviationMps2,
                                                   d.alignmentMaxAccelDeviationMps2, 0.01...5)
        stationaryPositionNoiseM = try value(.stationaryPositionNoiseM, d.stationaryPositionNoiseM, 0.01...100)
        stationaryVelocityNoiseMps = try value(.stationaryVelocityNoiseMps, d.stationaryVelocityNoiseMps, 0.01...10)
        yawAlignMinGroundSpeedMps = try value(.yawAlignMinGroundSpeedMps, d.yawAlignMinGroundSpeedMps, 1...100)
        gpsMinSatellites = try c.decodeIfPresent(Int.self, forKey: .gpsMinSatellites) ?? d.gpsMinSatellites
        guard (0...64).contains(gpsMinSatellites) else {
            throw DecodingError.dataCorruptedError(forKey: .gpsMinSatellites, in: c,
                                                   debugDescription: "gps_min_satellites = \(gpsMinSatellites) is outside 0...64")
        }
        recorder?.note(c.codingPath + [CodingKeys.gpsMinSatellites], Double(gpsMinSatellites), 0...64,
                       kind: .integer)
        gpsMaxHorizontalAccuracyM = try value(.gpsMaxHorizontalAccuracyM, d.gpsMaxHorizontalAccuracyM, 0.1...100)
        gpsMaxSpeedAccuracyMps = try value(.gpsMaxSpeedAccuracyMps, d.gpsMaxSpeedAccuracyMps, 0.01...20)
        gpsPositionNoiseMinM = try value(.gpsPositionNoiseMinM, d.gpsPositionNoiseMinM, 0.01...50)
        gpsVerticalNoiseMinM = try value(.gpsVerticalNoiseMinM, d.gpsVerticalNoiseMinM, 0.01...50)
        gpsVelocityNoiseMinMps = try value(.gpsVelocityNoiseMinMps, d.gpsVelocityNoiseMinMps, 0.01...10)
        gpsPositionGateSigma = try value(.gpsPositionGateSigma, d.gpsPositionGateSigma, 1...100)
        gpsVelocityGateSigma = try value(.gpsVelocityGateSigma, d.gpsVelocityGateSigma, 1...100)
        gpsTimeoutS = try value(.gpsTimeoutS, d.gpsTimeoutS, 0.1...60)
        gpsResetAfterRejectedS = try value(.gpsResetAfterRejectedS, d.gpsResetAfterRejectedS, 0.5...600)
        baroNoiseM = try value(.baroNoiseM, d.baroNoiseM, 0.01...50)
        baroGateSigma = try value(.baroGateSigma, d.baroGateSigma, 1...100)
        baroTimeoutS = try value(.baroTimeoutS, d.baroTimeoutS, 0.05...60)
        baroOffsetDriftMPerRtS = try value(.baroOffsetDriftMPerRtS, d.baroOffsetDriftMPerRtS, 0...10)
        gpsHeightCorrelationTimeS = try value(.gpsHeightCorrelationTimeS, d.gpsHeightCorrelationTimeS, 0...3600)
        useMagnetometer = try flag(.useMagnetometer, d.useMagnetometer)
        magHeadingNoiseRad = try value(.magHeadingNoiseRad, d.magHeadingNoiseRad, 1e-3...1)
        magDeclinationRad = try value(.magDeclinationRad, d.magDeclinationRad, -Double.pi...Double.pi)
        if let h = try c.decodeIfPresent([Double].self, forKey: .magHardIronFRDGauss) {
            guard h.count == 3, h.allSatisfy({ $0.isFinite && abs($0) <= 2 }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .magHardIronFRDGauss, in: c,
                    debugDescription: "mag_hard_iron_frd_gauss must be three numbers in -2...2 gauss (x, y, z FRD)")
            }
            magHardIronFRDGauss = Vector3(h[0], h[1], h[2])
        }
        recorder?.noteVector(c.codingPath + [CodingKeys.magHardIronFRDGauss],
                             [magHardIronFRDGauss.x, magHardIronFRDGauss.y, magHardIronFRDGauss.z], -2...2,
                             unit: "gauss")
        magGateSigma = try value(.magGateSigma, d.magGateSigma, 1...100)
        magMinHorizontalFieldGauss = try value(.magMinHorizontalFieldGauss, d.magMinHorizontalFieldGauss, 0...1)
        magTimeoutS = try value(.magTimeoutS, d.magTimeoutS, 0.05...60)
        useAirspeed = try flag(.useAirspeed, d.useAirspeed)
        airspeedNoiseMps = try value(.airspeedNoiseMps, d.airspeedNoiseMps, 0.01...20)
        airspeedGateSigma = try value(.airspeedGateSigma, d.airspeedGateSigma, 1...100)
        airspeedMinFusionMps = try value(.airspeedMinFusionMps, d.airspeedMinFusionMps, 0...100)
        airspeedTimeoutS = try value(.airspeedTimeoutS, d.airspeedTimeoutS, 0.05...60)
        windResetAfterRejectionS = try value(.windResetAfterRejectionS, d.windResetAfterRejectionS, 0.1...600)
        useSideslip = try flag(.useSideslip, d.useSideslip)
        sideslipNoiseRad = try value(.sideslipNoiseRad, d.sideslipNoiseRad, 0.01...2)
        sideslipGateSigma = try value(.sideslipGateSigma, d.sideslipGateSigma, 1...100)
        sideslipMaxYawSigmaRad = try value(.sideslipMaxYawSigmaRad, d.sideslipMaxYawSigmaRad, 0.01...3.2)
        rejectionFailS = try value(.rejectionFailS, d.rejectionFailS, 0.1...600)
        degradedHoldS = try value(.degradedHoldS, d.degradedHoldS, 0...600)
        positionValidMaxSigmaM = try value(.positionValidMaxSigmaM, d.positionValidMaxSigmaM, 0.1...10_000)
        velocityValidMaxSigmaMps = try value(.velocityValidMaxSigmaMps, d.velocityValidMaxSigmaMps, 0.01...100)
        attitudeValidMaxTiltSigmaRad = try value(.attitudeValidMaxTiltSigmaRad, d.attitudeValidMaxTiltSigmaRad, 1e-3...1)
        attitudeValidMaxYawSigmaRad = try value(.attitudeValidMaxYawSigmaRad, d.attitudeValidMaxYawSigmaRad, 1e-3...3.2)
        deadReckoningLimitS = try value(.deadReckoningLimitS, d.deadReckoningLimitS, 0...3600)
    }
}
