import ConfigFiles

/// Which way the propeller turns, seen from behind the aircraft looking forward (the pilot's view).
public enum PropellerRotation: String, Codable, Hashable, Sendable, CaseIterable {
    case clockwise = "cw", counterclockwise = "ccw"

    /// Sign of the propeller's angular velocity about body x (FRD: +x forward, so clockwise from behind is +).
    public var signAboutBodyX: Double { self == .clockwise ? 1 : -1 }
}

/// `[propulsion]`: electric motor and fixed-pitch propeller, thrust along body x. `prop_pitch_m`, `prop_rotation`,
/// `thrust_line_offset_m` and `windmill_drag_coefficient` came later: a file without them gets the defaults below,
/// so an older airframe file still loads.
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
    /// Extra roll moment per newton of thrust (signed, m), e.g. the slipstream's swirl acting on a fin; the motor's
    /// reaction torque itself comes from the shaft power (`prop_pitch_m`, `prop_rotation`).
    public var torquePerThrustM: Double
    /// Geometric pitch (advance per revolution): with the pitch speed it gives the full-throttle shaft speed, and
    /// so the reaction torque = shaft power / shaft speed.
    public var propPitchM: Double
    public var propRotation: PropellerRotation
    /// Distance of the thrust line below the centre of gravity (body z, + down): a thrust line below the CG pitches
    /// the nose up with power, one above it (negative) down.
    public var thrustLineOffsetM: Double
    /// Drag of the unpowered (windmilling) propeller over dynamic pressure × disk area.
    public var windmillDragCoefficient: Double

    /// Propeller data of the common sport electric props (APC "E", Aeronaut CAM, Graupner E) have a pitch of 0.5–0.8
    /// of the diameter (11×7, 10×6, 9×6, 8×6); a file without `prop_pitch_m` gets 0.65 × its diameter.
    public static let defaultPitchOverDiameter = 0.65
    /// Standard (not "P"/pusher) props turn clockwise seen from behind.
    public static let defaultRotation = PropellerRotation.clockwise
    /// No offset: the thrust line through the CG, as files without the key were flown.
    public static let defaultThrustLineOffsetM = 0.0
    /// Hoerner, "Fluid-Dynamic Drag" (1965), ch. 13 on propellers: a freely windmilling fixed-pitch propeller's drag
    /// is about 0.1 of dynamic pressure times disk area (a stopped one somewhat more, a feathered one far less).
    public static let defaultWindmillDragCoefficient = 0.1

    enum CodingKeys: String, CodingKey {
        case staticThrustN = "static_thrust_n", pitchSpeedMps = "pitch_speed_mps", propDiameterM = "prop_diameter_m"
        case propFigureOfMerit = "prop_figure_of_merit", motorEfficiency = "motor_efficiency"
        case spoolTimeConstantS = "spool_time_constant_s", torquePerThrustM = "torque_per_thrust_m"
        case propPitchM = "prop_pitch_m", propRotation = "prop_rotation", thrustLineOffsetM = "thrust_line_offset_m"
        case windmillDragCoefficient = "windmill_drag_coefficient"
    }

    public init(staticThrustN: Double, pitchSpeedMps: Double, propDiameterM: Double, propFigureOfMerit: Double,
                motorEfficiency: Double, spoolTimeConstantS: Double, torquePerThrustM: Double = 0,
                propPitchM: Double? = nil, propRotation: PropellerRotation = Self.defaultRotation,
                thrustLineOffsetM: Double = Self.defaultThrustLineOffsetM,
                windmillDragCoefficient: Double = Self.defaultWindmillDragCoefficient) {
        self.staticThrustN = staticThrustN
        self.pitchSpeedMps = pitchSpeedMps
        self.propDiameterM = propDiameterM
        self.propFigureOfMerit = propFigureOfMerit
        self.motorEfficiency = motorEfficiency
        self.spoolTimeConstantS = spoolTimeConstantS
        self.torquePerThrustM = torquePerThrustM
        self.propPitchM = propPitchM ?? Self.defaultPitchOverDiameter * propDiameterM
        self.propRotation = propRotation
        self.thrustLineOffsetM = thrustLineOffsetM
        self.windmillDragCoefficient = windmillDragCoefficient
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            staticThrustN: try c.decode(Double.self, forKey: .staticThrustN),
            pitchSpeedMps: try c.decode(Double.self, forKey: .pitchSpeedMps),
            propDiameterM: try c.decode(Double.self, forKey: .propDiameterM),
            propFigureOfMerit: try c.decode(Double.self, forKey: .propFigureOfMerit),
            motorEfficiency: try c.decode(Double.self, forKey: .motorEfficiency),
            spoolTimeConstantS: try c.decode(Double.self, forKey: .spoolTimeConstantS),
            torquePerThrustM: try c.decode(Double.self, forKey: .torquePerThrustM),
            propPitchM: try c.decodeIfPresent(Double.self, forKey: .propPitchM),
            propRotation: try c.decodeIfPresent(PropellerRotation.self, forKey: .propRotation) ?? Self.defaultRotation,
            thrustLineOffsetM: try c.decodeIfPresent(Double.self, forKey: .thrustLineOffsetM)
                ?? Self.defaultThrustLineOffsetM,
            windmillDragCoefficient: try c.decodeIfPresent(Double.self, forKey: .windmillDragCoefficient)
                ?? Self.defaultWindmillDragCoefficient)
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(staticThrustN, in: 0.1...500, "static_thrust_n", unit: "N")
        try Self.require(pitchSpeedMps, in: 5...150, "pitch_speed_mps", unit: "m/s")
        try Self.require(propDiameterM, in: 0.05...2, "prop_diameter_m", unit: "m")
        try Self.require(propFigureOfMerit, in: 0.2...1, "prop_figure_of_merit")
        try Self.require(motorEfficiency, in: 0.2...1, "motor_efficiency")
        try Self.require(spoolTimeConstantS, in: 0...2, "spool_time_constant_s", unit: "s")
        try Self.require(torquePerThrustM, in: -0.2...0.2, "torque_per_thrust_m", unit: "m")
        // Pitch/diameter 0.2…2 covers every fixed-pitch propeller made, from slow-fly props to speed props.
        try Self.require(propPitchM, in: 0.01...2, "prop_pitch_m", unit: "m")
        try Self.require(thrustLineOffsetM, in: -0.5...0.5, "thrust_line_offset_m", unit: "m")
        // Up to a solid disk's drag (1.2): a stopped propeller is always less than that.
        try Self.require(windmillDragCoefficient, in: 0...1.2, "windmill_drag_coefficient")
    }
}
