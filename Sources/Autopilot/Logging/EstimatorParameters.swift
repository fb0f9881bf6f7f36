import Estimation
import FlightLog

/// The navigation filter's configuration as log parameters (`KEKF_*`, Kestrel's counterpart of PX4's `EKF2_*`),
/// so a log carries everything `kestrel log replay` needs to re-run the filter.
///
/// ULog parameters are float32 or int32 (what PX4 tools accept); a float32 parameter does not hold a Double
/// exactly, so the exact values also travel in one info string (`kestrel_estimator_config`: `NAME=value` lines,
/// shortest round-trip decimal). Replay takes the exact value wherever it still rounds to the float parameter,
/// and the float parameter where someone edited it.
public enum EstimatorParameters {
    public enum Kind: Sendable { case real, integer, flag }

    public struct Entry: Sendable {
        public let name: String
        public let kind: Kind
        /// The `NavigationFilterConfig` property this parameter sets (for the completeness check).
        public let property: String
        let get: @Sendable (NavigationFilterConfig) -> Double
        let set: @Sendable (inout NavigationFilterConfig, Double) -> Void
    }

    public static let infoKey = "kestrel_estimator_config"

    private static func real(_ name: String, _ property: String,
                             _ path: WritableKeyPath<NavigationFilterConfig, Double> & Sendable) -> Entry {
        Entry(name: name, kind: .real, property: property, get: { $0[keyPath: path] },
              set: { $0[keyPath: path] = $1 })
    }

    /// Every tunable of `NavigationFilterConfig`, in its declaration order. Names are at most 16 characters.
    public static let all: [Entry] = [
        real("KEKF_GYR_NOISE", "gyroNoiseDensityRadpsPerRtHz", \.gyroNoiseDensityRadpsPerRtHz),
        real("KEKF_ACC_NOISE", "accelNoiseDensityMps2PerRtHz", \.accelNoiseDensityMps2PerRtHz),
        real("KEKF_GYR_B_WALK", "gyroBiasWalkRadpsPerRtS", \.gyroBiasWalkRadpsPerRtS),
        real("KEKF_ACC_B_WALK", "accelBiasWalkMps2PerRtS", \.accelBiasWalkMps2PerRtS),
        real("KEKF_WIND_WALK", "windWalkMpsPerRtS", \.windWalkMpsPerRtS),
        real("KEKF_INIT_TILT", "initialTiltSigmaRad", \.initialTiltSigmaRad),
        real("KEKF_INIT_YAW", "initialYawSigmaRad", \.initialYawSigmaRad),
        real("KEKF_UNALIGN_YAW", "unalignedYawSigmaRad", \.unalignedYawSigmaRad),
        real("KEKF_INIT_GYR_B", "initialGyroBiasSigmaRadps", \.initialGyroBiasSigmaRadps),
        real("KEKF_INIT_ACC_B", "initialAccelBiasSigmaMps2", \.initialAccelBiasSigmaMps2),
        real("KEKF_INIT_WIND", "initialWindSigmaMps", \.initialWindSigmaMps),
        real("KEKF_MAX_GYR_B", "maxGyroBiasSigmaRadps", \.maxGyroBiasSigmaRadps),
        real("KEKF_MAX_ACC_B", "maxAccelBiasSigmaMps2", \.maxAccelBiasSigmaMps2),
        real("KEKF_MAX_WIND", "maxWindSigmaMps", \.maxWindSigmaMps),
        real("KEKF_HORIZON", "fusionHorizonS", \.fusionHorizonS),
        real("KEKF_IMU_MAX_GAP", "imuMaxGapS", \.imuMaxGapS),
        real("KEKF_ALIGN_TIME", "alignmentDurationS", \.alignmentDurationS),
        real("KEKF_ALIGN_GYR", "alignmentMaxGyroRadps", \.alignmentMaxGyroRadps),
        real("KEKF_ALIGN_ACC", "alignmentMaxAccelDeviationMps2", \.alignmentMaxAccelDeviationMps2),
        real("KEKF_STAT_POS_N", "stationaryPositionNoiseM", \.stationaryPositionNoiseM),
        real("KEKF_STAT_VEL_N", "stationaryVelocityNoiseMps", \.stationaryVelocityNoiseMps),
        real("KEKF_YAW_ALN_SPD", "yawAlignMinGroundSpeedMps", \.yawAlignMinGroundSpeedMps),
        Entry(name: "KEKF_GPS_MIN_SAT", kind: .integer, property: "gpsMinSatellites",
              get: { Double($0.gpsMinSatellites) }, set: { $0.gpsMinSatellites = Int($1) }),
        real("KEKF_GPS_MAX_EPH", "gpsMaxHorizontalAccuracyM", \.gpsMaxHorizontalAccuracyM),
        real("KEKF_GPS_MAX_SAC", "gpsMaxSpeedAccuracyMps", \.gpsMaxSpeedAccuracyMps),
        real("KEKF_GPS_P_NOISE", "gpsPositionNoiseMinM", \.gpsPositionNoiseMinM),
        real("KEKF_GPS_H_NOISE", "gpsVerticalNoiseMinM", \.gpsVerticalNoiseMinM),
        real("KEKF_GPS_V_NOISE", "gpsVelocityNoiseMinMps", \.gpsVelocityNoiseMinMps),
        real("KEKF_GPS_P_GATE", "gpsPositionGateSigma", \.gpsPositionGateSigma),
        real("KEKF_GPS_V_GATE", "gpsVelocityGateSigma", \.gpsVelocityGateSigma),
        real("KEKF_GPS_TOUT", "gpsTimeoutS", \.gpsTimeoutS),
        real("KEKF_GPS_RESET", "gpsResetAfterRejectedS", \.gpsResetAfterRejectedS),
        real("KEKF_BARO_NOISE", "baroNoiseM", \.baroNoiseM),
        real("KEKF_BARO_GATE", "baroGateSigma", \.baroGateSigma),
        real("KEKF_BARO_TOUT", "baroTimeoutS", \.baroTimeoutS),
        Entry(name: "KEKF_MAG_USE", kind: .flag, property: "useMagnetometer",
              get: { $0.useMagnetometer ? 1 : 0 }, set: { $0.useMagnetometer = $1 != 0 }),
        real("KEKF_MAG_NOISE", "magHeadingNoiseRad", \.magHeadingNoiseRad),
        real("KEKF_MAG_DECL", "magDeclinationRad", \.magDeclinationRad),
        real("KEKF_MAG_GATE", "magGateSigma", \.magGateSigma),
        real("KEKF_MAG_MIN_H", "magMinHorizontalFieldGauss", \.magMinHorizontalFieldGauss),
        real("KEKF_MAG_TOUT", "magTimeoutS", \.magTimeoutS),
        Entry(name: "KEKF_ARSP_USE", kind: .flag, property: "useAirspeed",
              get: { $0.useAirspeed ? 1 : 0 }, set: { $0.useAirspeed = $1 != 0 }),
        real("KEKF_ARSP_NOISE", "airspeedNoiseMps", \.airspeedNoiseMps),
        real("KEKF_ARSP_GATE", "airspeedGateSigma", \.airspeedGateSigma),
        real("KEKF_ARSP_MIN", "airspeedMinFusionMps", \.airspeedMinFusionMps),
        real("KEKF_ARSP_TOUT", "airspeedTimeoutS", \.airspeedTimeoutS),
        real("KEKF_REJ_FAIL", "rejectionFailS", \.rejectionFailS),
        real("KEKF_DEGR_HOLD", "degradedHoldS", \.degradedHoldS),
        real("KEKF_POS_VALID", "positionValidMaxSigmaM", \.positionValidMaxSigmaM),
        real("KEKF_VEL_VALID", "velocityValidMaxSigmaMps", \.velocityValidMaxSigmaMps),
        real("KEKF_TILT_VALID", "attitudeValidMaxTiltSigmaRad", \.attitudeValidMaxTiltSigmaRad),
        real("KEKF_YAW_VALID", "attitudeValidMaxYawSigmaRad", \.attitudeValidMaxYawSigmaRad),
        real("KEKF_DR_LIMIT", "deadReckoningLimitS", \.deadReckoningLimitS),
    ]

    public static func entry(named name: String) -> Entry? { all.first { $0.name == name } }

    /// The parameters a log starts with.
    public static func parameters(of config: NavigationFilterConfig) -> [(name: String, value: ULogParameterValue)] {
        all.map { e in
            let v = e.get(config)
            return (e.name, e.kind == .real ? .float(Float(v)) : .int32(Int32(clamping: Int64(v.rounded()))))
        }
    }

    /// The exact values, one `NAME=value` line each.
    public static func exactText(of config: NavigationFilterConfig) -> String {
        all.map { "\($0.name)=\($0.get(config))" }.joined(separator: "\n")
    }

    /// Sets `value` (in the parameter's unit) on `config`; false for an unknown name or a non-finite value.
    public static func set(_ name: String, _ value: Double, on config: inout NavigationFilterConfig) -> Bool {
        guard let e = entry(named: name), value.isFinite else { return false }
        e.set(&config, e.kind == .real ? value : value.rounded())
        return true
    }

    public static func value(_ name: String, of config: NavigationFilterConfig) -> Double? {
        entry(named: name)?.get(config)
    }
}
