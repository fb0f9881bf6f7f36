import ConfigFiles

/// `[aerodynamics]`: stability and control derivatives, per radian. Rates enter non-dimensionalised (p·b/2V,
/// q·c/2V, r·b/2V). Sign conventions: α and β as usual (β > 0 wind from the right); δe > 0 trailing edge down
/// (nose down), δa > 0 rolls right (left trailing edge down), δr > 0 trailing edge left (nose left).
public struct AerodynamicsSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var lift: LiftCoefficients
    public var drag: DragCoefficients
    public var sideForce: LateralDerivatives
    public var rollMoment: LateralDerivatives
    public var pitchMoment: PitchMomentCoefficients
    public var yawMoment: LateralDerivatives

    enum CodingKeys: String, CodingKey {
        case lift, drag, sideForce = "side_force", rollMoment = "roll_moment", pitchMoment = "pitch_moment"
        case yawMoment = "yaw_moment"
    }

    public func validate() throws(ConfigValueError) {
        // Damping derivatives must damp; a file with the wrong sign would fly, but not like any aircraft.
        try Self.require(rollMoment.pPerRad, in: -5...(-0.01), "roll_moment.p_per_rad")
        try Self.require(yawMoment.rPerRad, in: -5...(-0.0001), "yaw_moment.r_per_rad")
        try Self.require(yawMoment.betaPerRad, in: 0...5, "yaw_moment.beta_per_rad")
    }
}

/// CL(α) = CL0 + CLα·α + CLq·qc/2V + CLδe·δe in the attached-flow range, blended into a flat plate past stall.
public struct LiftCoefficients: Codable, Hashable, Sendable, ValidatedConfig {
    public var c0: Double
    public var alphaPerRad: Double
    public var qPerRad: Double
    public var deltaEPerRad: Double
    /// α where the blend into the flat plate is half way (the stall angle).
    public var stallAlphaDeg: Double
    /// Steepness M of the sigmoid σ(α) = (1 + e^{−M(α−α0)} + e^{M(α+α0)}) / ((1 + e^{−M(α−α0)})(1 + e^{M(α+α0)})).
    public var stallBlendPerRad: Double

    enum CodingKeys: String, CodingKey {
        case c0, alphaPerRad = "alpha_per_rad", qPerRad = "q_per_rad", deltaEPerRad = "delta_e_per_rad"
        case stallAlphaDeg = "stall_alpha_deg", stallBlendPerRad = "stall_blend_per_rad"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(c0, in: -1...1.5, "c0")
        try Self.require(alphaPerRad, in: 0.5...2 * Double.pi + 0.5, "alpha_per_rad", unit: "/rad")
        try Self.require(qPerRad, in: -20...40, "q_per_rad", unit: "/rad")
        try Self.require(deltaEPerRad, in: -3...3, "delta_e_per_rad", unit: "/rad")
        try Self.require(stallAlphaDeg, in: 5...30, "stall_alpha_deg", unit: "deg")
        try Self.require(stallBlendPerRad, in: 5...500, "stall_blend_per_rad", unit: "/rad")
    }
}

/// CD = CD0 + k·CL² + CDq·qc/2V + Σ|δ| terms in attached flow; past stall blended towards CD0 + C_flat·sin²α.
public struct DragCoefficients: Codable, Hashable, Sendable, ValidatedConfig {
    public var c0: Double
    /// Induced drag factor k = 1/(π·e·AR).
    public var inducedK: Double
    public var qPerRad: Double
    public var absDeltaEPerRad: Double
    public var absDeltaAPerRad: Double
    public var absDeltaRPerRad: Double
    /// Normal-force coefficient of the wing as a flat plate at 90° (about 2 for a thin plate).
    public var flatPlateC: Double

    enum CodingKeys: String, CodingKey {
        case c0, inducedK = "induced_k", qPerRad = "q_per_rad", absDeltaEPerRad = "abs_delta_e_per_rad"
        case absDeltaAPerRad = "abs_delta_a_per_rad", absDeltaRPerRad = "abs_delta_r_per_rad"
        case flatPlateC = "flat_plate_c"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(c0, in: 0.001...0.5, "c0")
        try Self.require(inducedK, in: 0.001...1, "induced_k")
        try Self.require(qPerRad, in: -10...10, "q_per_rad", unit: "/rad")
        try Self.require(absDeltaEPerRad, in: 0...2, "abs_delta_e_per_rad", unit: "/rad")
        try Self.require(absDeltaAPerRad, in: 0...2, "abs_delta_a_per_rad", unit: "/rad")
        try Self.require(absDeltaRPerRad, in: 0...2, "abs_delta_r_per_rad", unit: "/rad")
        try Self.require(flatPlateC, in: 0.5...3, "flat_plate_c")
    }
}

/// Cm = Cm0 + Cmα·α + Cmq·qc/2V + Cmδe·δe.
public struct PitchMomentCoefficients: Codable, Hashable, Sendable, ValidatedConfig {
    public var c0: Double
    public var alphaPerRad: Double
    public var qPerRad: Double
    public var deltaEPerRad: Double

    enum CodingKeys: String, CodingKey {
        case c0, alphaPerRad = "alpha_per_rad", qPerRad = "q_per_rad", deltaEPerRad = "delta_e_per_rad"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(c0, in: -0.5...0.5, "c0")
        // Static stability is required: the open-loop demo and every controller gain assume it.
        try Self.require(alphaPerRad, in: -10...(-0.01), "alpha_per_rad", unit: "/rad")
        try Self.require(qPerRad, in: -100...(-0.01), "q_per_rad", unit: "/rad")
        try Self.require(deltaEPerRad, in: -5...5, "delta_e_per_rad", unit: "/rad")
    }
}

/// C = Cβ·β + Cp·pb/2V + Cr·rb/2V + Cδa·δa + Cδr·δr, shared by the side force, roll and yaw moments.
public struct LateralDerivatives: Codable, Hashable, Sendable, ValidatedConfig {
    public var betaPerRad: Double
    public var pPerRad: Double
    public var rPerRad: Double
    public var deltaAPerRad: Double
    public var deltaRPerRad: Double

    enum CodingKeys: String, CodingKey {
        case betaPerRad = "beta_per_rad", pPerRad = "p_per_rad", rPerRad = "r_per_rad"
        case deltaAPerRad = "delta_a_per_rad", deltaRPerRad = "delta_r_per_rad"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(betaPerRad, in: -5...5, "beta_per_rad", unit: "/rad")
        try Self.require(pPerRad, in: -5...5, "p_per_rad", unit: "/rad")
        try Self.require(rPerRad, in: -5...5, "r_per_rad", unit: "/rad")
        try Self.require(deltaAPerRad, in: -5...5, "delta_a_per_rad", unit: "/rad")
        try Self.require(deltaRPerRad, in: -5...5, "delta_r_per_rad", unit: "/rad")
    }
}
