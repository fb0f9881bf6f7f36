import FlightMath

/// `[control.attitude]`: angle loops (angle error / time constant = rate demand) and their limits.
public struct AttitudeConfig: Sendable, Equatable, Decodable {
    public var rollTimeConstantS: Double
    public var pitchTimeConstantS: Double
    public var maxRollRad: Double
    public var maxPitchRad: Double
    public var minPitchRad: Double
    public var maxRollRateRadps: Double
    public var maxPitchRateUpRadps: Double
    public var maxPitchRateDownRadps: Double

    public init(rollTimeConstantS: Double = 0.4, pitchTimeConstantS: Double = 0.4,
                maxRollRad: Double = Angle.radians(fromDegrees: 45), maxPitchRad: Double = Angle.radians(fromDegrees: 25),
                minPitchRad: Double = Angle.radians(fromDegrees: -25),
                maxRollRateRadps: Double = Angle.radians(fromDegrees: 90),
                maxPitchRateUpRadps: Double = Angle.radians(fromDegrees: 60),
                maxPitchRateDownRadps: Double = Angle.radians(fromDegrees: 45)) {
        self.rollTimeConstantS = rollTimeConstantS; self.pitchTimeConstantS = pitchTimeConstantS
        self.maxRollRad = maxRollRad; self.maxPitchRad = maxPitchRad; self.minPitchRad = minPitchRad
        self.maxRollRateRadps = maxRollRateRadps
        self.maxPitchRateUpRadps = maxPitchRateUpRadps; self.maxPitchRateDownRadps = maxPitchRateDownRadps
    }

    public static let defaults = AttitudeConfig()

    enum CodingKeys: String, CodingKey {
        case rollTcS = "roll_tc_s", pitchTcS = "pitch_tc_s"
        case maxRollDeg = "max_roll_deg", maxPitchDeg = "max_pitch_deg", minPitchDeg = "min_pitch_deg"
        case maxRollRateDps = "max_roll_rate_dps"
        case maxPitchRateUpDps = "max_pitch_rate_up_dps", maxPitchRateDownDps = "max_pitch_rate_down_dps"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        func deg(_ rad: Double) -> Double { Angle.degrees(fromRadians: rad) }
        rollTimeConstantS = try c.tunable(.rollTcS, default: d.rollTimeConstantS, in: 0.05...5, unit: "s")
        pitchTimeConstantS = try c.tunable(.pitchTcS, default: d.pitchTimeConstantS, in: 0.05...5, unit: "s")
        maxRollRad = Angle.radians(fromDegrees: try c.tunable(.maxRollDeg, default: deg(d.maxRollRad), in: 5...75,
                                                              unit: "deg"))
        maxPitchRad = Angle.radians(fromDegrees: try c.tunable(.maxPitchDeg, default: deg(d.maxPitchRad), in: 0...60,
                                                               unit: "deg"))
        minPitchRad = Angle.radians(fromDegrees: try c.tunable(.minPitchDeg, default: deg(d.minPitchRad),
                                                               in: -60...0, unit: "deg"))
        maxRollRateRadps = Angle.radians(fromDegrees: try c.tunable(.maxRollRateDps, default: deg(d.maxRollRateRadps),
                                                                    in: 5...720, unit: "deg/s"))
        maxPitchRateUpRadps = Angle.radians(fromDegrees: try c.tunable(
            .maxPitchRateUpDps, default: deg(d.maxPitchRateUpRadps), in: 5...720, unit: "deg/s"))
        maxPitchRateDownRadps = Angle.radians(fromDegrees: try c.tunable(
            .maxPitchRateDownDps, default: deg(d.maxPitchRateDownRadps), in: 5...720, unit: "deg/s"))
    }
}
