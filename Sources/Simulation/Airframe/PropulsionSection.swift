import ConfigFiles

/// `[propulsion]`: electric motor and fixed-pitch propeller on the body x axis through the centre of gravity.
public struct PropulsionSection: Codable, Hashable, Sendable, ValidatedConfig {
    /// Thrust at full throttle, zero airspeed, full battery.
    public var staticThrustN: Double
    /// Airspeed at which thrust vanishes at full throttle (the propeller's pitch speed).
    public var pitchSpeedMps: Double
    public var propDiameterM: Double
    /// Ideal (momentum-theory) power over shaft power; 0.5–0.8 for small propellers.
    public var propFigureOfMerit: Double
    public var motorEfficiency: Double
    /// Motor/propeller spool-up lag.
    public var spoolTimeConstantS: Double
    /// Reaction roll moment per newton of thrust (signed, m); zero to ignore propeller torque.
    public var torquePerThrustM: Double

    enum CodingKeys: String, CodingKey {
        case staticThrustN = "static_thrust_n", pitchSpeedMps = "pitch_speed_mps", propDiameterM = "prop_diameter_m"
        case propFigureOfMerit = "prop_figure_of_merit", motorEfficiency = "motor_efficiency"
        case spoolTimeConstantS = "spool_time_constant_s", torquePerThrustM = "torque_per_thrust_m"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(staticThrustN, in: 0.1...500, "static_thrust_n", unit: "N")
        try Self.require(pitchSpeedMps, in: 5...150, "pitch_speed_mps", unit: "m/s")
        try Self.require(propDiameterM, in: 0.05...2, "prop_diameter_m", unit: "m")
        try Self.require(propFigureOfMerit, in: 0.2...1, "prop_figure_of_merit")
        try Self.require(motorEfficiency, in: 0.2...1, "motor_efficiency")
        try Self.require(spoolTimeConstantS, in: 0...2, "spool_time_constant_s", unit: "s")
        try Self.require(torquePerThrustM, in: -0.2...0.2, "torque_per_thrust_m", unit: "m")
    }
}
