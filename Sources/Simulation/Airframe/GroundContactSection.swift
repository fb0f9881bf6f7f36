import ConfigFiles

/// `[ground_contact]`: how the airframe meets the ground.
public struct GroundContactSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var restingHeightM: Double
    public var frictionCoefficient: Double
    /// A touchdown faster than either limit is reported as a crash.
    public var crashVerticalSpeedMps: Double
    public var crashSpeedMps: Double

    enum CodingKeys: String, CodingKey {
        case restingHeightM = "resting_height_m", frictionCoefficient = "friction_coefficient"
        case crashVerticalSpeedMps = "crash_vertical_speed_mps", crashSpeedMps = "crash_speed_mps"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(restingHeightM, in: 0...2, "resting_height_m", unit: "m")
        try Self.require(frictionCoefficient, in: 0...2, "friction_coefficient")
        try Self.require(crashVerticalSpeedMps, in: 0.1...50, "crash_vertical_speed_mps", unit: "m/s")
        try Self.require(crashSpeedMps, in: 0.1...100, "crash_speed_mps", unit: "m/s")
    }

    public var parameters: GroundContactParameters {
        GroundContactParameters(restingHeightM: restingHeightM, frictionCoefficient: frictionCoefficient,
                                crashVerticalSpeedMps: crashVerticalSpeedMps, crashSpeedMps: crashSpeedMps)
    }
}
