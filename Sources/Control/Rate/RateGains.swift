import FlightMath

/// Gains of one body-rate axis: output (normalised surface) = scale·(kp·error + ff·setpoint) + integrator.
public struct RateAxisGains: Sendable, Equatable {
    /// Normalised surface per rad/s of rate error.
    public var kp: Double
    /// Normalised surface per rad of integrated rate error.
    public var ki: Double
    /// Normalised surface per rad/s of rate setpoint.
    public var ff: Double
    /// Bound on the integrator's share of the output.
    public var integratorLimit: Double

    public init(kp: Double, ki: Double, ff: Double, integratorLimit: Double) {
        self.kp = kp; self.ki = ki; self.ff = ff; self.integratorLimit = integratorLimit
    }

    var pidGains: PID.Gains { PID.Gains(kp: kp, ki: ki, kd: 0, kff: ff, integratorLimit: integratorLimit, outputLimit: 1) }
}

/// `[control.rates]`: body-rate loops and the yaw axis (damper and turn coordination).
public struct RateConfig: Sendable, Equatable, Decodable {
    public var roll: RateAxisGains
    public var pitch: RateAxisGains
    /// Yaw damper: rudder per rad/s of washed-out (high-passed) yaw rate, and the washout time constant.
    public var yawDamperGain: Double
    public var yawDamperWashoutS: Double
    /// Rudder per rad/s of coordinated-turn yaw rate.
    public var yawRateFF: Double
    /// Turn coordination: rudder per m/s² of lateral specific force (PI), and its integrator bound.
    public var turnCoordinationKp: Double
    public var turnCoordinationKi: Double
    public var turnCoordinationIntegratorLimit: Double

    public init(roll: RateAxisGains, pitch: RateAxisGains, yawDamperGain: Double, yawDamperWashoutS: Double,
                yawRateFF: Double, turnCoordinationKp: Double, turnCoordinationKi: Double,
                turnCoordinationIntegratorLimit: Double) {
        self.roll = roll; self.pitch = pitch
        self.yawDamperGain = yawDamperGain; self.yawDamperWashoutS = yawDamperWashoutS; self.yawRateFF = yawRateFF
        self.turnCoordinationKp = turnCoordinationKp; self.turnCoordinationKi = turnCoordinationKi
        self.turnCoordinationIntegratorLimit = turnCoordinationIntegratorLimit
    }

    /// Starting values for a 1.5–2.5 m span airframe at 14–20 m/s; tune on the airframe.
    public static let defaults = RateConfig(
        roll: RateAxisGains(kp: 0.08, ki: 0.1, ff: 0.4, integratorLimit: 0.2),
        pitch: RateAxisGains(kp: 0.1, ki: 0.15, ff: 0.45, integratorLimit: 0.3),
        yawDamperGain: 0.2, yawDamperWashoutS: 1.0, yawRateFF: 0.2,
        turnCoordinationKp: 0.05, turnCoordinationKi: 0.02, turnCoordinationIntegratorLimit: 0.2)

    enum CodingKeys: String, CodingKey {
        case rollKp = "roll_rate_kp", rollKi = "roll_rate_ki", rollFF = "roll_rate_ff", rollImax = "roll_rate_imax"
        case pitchKp = "pitch_rate_kp", pitchKi = "pitch_rate_ki", pitchFF = "pitch_rate_ff"
        case pitchImax = "pitch_rate_imax"
        case yawDamperGain = "yaw_damper_gain", yawDamperWashoutS = "yaw_damper_washout_s"
        case yawRateFF = "yaw_rate_ff"
        case turnCoordinationKp = "turn_coord_kp", turnCoordinationKi = "turn_coord_ki"
        case turnCoordinationImax = "turn_coord_imax"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        roll = RateAxisGains(kp: try c.tunable(.rollKp, default: d.roll.kp, in: 0...5),
                             ki: try c.tunable(.rollKi, default: d.roll.ki, in: 0...5),
                             ff: try c.tunable(.rollFF, default: d.roll.ff, in: 0...5),
                             integratorLimit: try c.tunable(.rollImax, default: d.roll.integratorLimit, in: 0...1))
        pitch = RateAxisGains(kp: try c.tunable(.pitchKp, default: d.pitch.kp, in: 0...5),
                              ki: try c.tunable(.pitchKi, default: d.pitch.ki, in: 0...5),
                              ff: try c.tunable(.pitchFF, default: d.pitch.ff, in: 0...5),
                              integratorLimit: try c.tunable(.pitchImax, default: d.pitch.integratorLimit, in: 0...1))
        yawDamperGain = try c.tunable(.yawDamperGain, default: d.yawDamperGain, in: 0...5)
        yawDamperWashoutS = try c.tunable(.yawDamperWashoutS, default: d.yawDamperWashoutS, in: 0.05...20, unit: "s")
        yawRateFF = try c.tunable(.yawRateFF, default: d.yawRateFF, in: 0...5)
        turnCoordinationKp = try c.tunable(.turnCoordinationKp, default: d.turnCoordinationKp, in: 0...2)
        turnCoordinationKi = try c.tunable(.turnCoordinationKi, default: d.turnCoordinationKi, in: 0...2)
        turnCoordinationIntegratorLimit = try c.tunable(.turnCoordinationImax,
                                                        default: d.turnCoordinationIntegratorLimit, in: 0...1)
    }
}
