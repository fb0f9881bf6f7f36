import ConfigFiles

/// `[launch]`: the state the airframe leaves the catapult rail or the hand with. The velocity is along the rail
/// (zero angle of attack), the attitude is the rail's: pitched up by the climb angle, wings level.
public struct LaunchSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var speedMps: Double
    public var climbAngleDeg: Double
    public var headingDeg: Double
    /// Height of the centre of gravity above the ground at release.
    public var heightM: Double

    enum CodingKeys: String, CodingKey {
        case speedMps = "speed_mps", climbAngleDeg = "climb_angle_deg", headingDeg = "heading_deg", heightM = "height_m"
    }

    public init(speedMps: Double, climbAngleDeg: Double, headingDeg: Double, heightM: Double) {
        self.speedMps = speedMps; self.climbAngleDeg = climbAngleDeg; self.headingDeg = headingDeg
        self.heightM = heightM
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(speedMps, in: 0...60, "speed_mps", unit: "m/s")
        try Self.require(climbAngleDeg, in: -30...60, "climb_angle_deg", unit: "deg")
        try Self.require(headingDeg, in: -360...360, "heading_deg", unit: "deg")
        try Self.require(heightM, in: 0...10_000, "height_m", unit: "m")
    }
}
