import FlightMath
import RealModule

/// `[guidance]` of an airframe file. Every key is optional and takes the default shown.
public struct GuidanceConfig: Sendable, Equatable, Decodable {
    /// NPFG: period and damping of the linearised track-error response; they set the lateral gain (4πζ/P) and
    /// the track-error boundary (ζ·P·ground speed).
    public var periodS: Double
    public var damping: Double
    /// Smallest track-error boundary, so the look-ahead stays sensible at very low ground speed.
    public var minTrackErrorBoundM: Double
    public var maxRollRad: Double
    public var cruiseAirspeedMps: Double
    public var acceptanceRadiusM: Double
    /// Switch legs early by the turn radius so the turn joins the next leg instead of overshooting it.
    public var turnAnticipation: Bool
    public var loiterRadiusM: Double
    /// Radius error under which an orbit counts as captured (turns and time start counting).
    public var loiterCaptureM: Double
    /// Return-to-launch height above home.
    public var rtlAltitudeM: Double
    public var approachAirspeedMps: Double

    public init(periodS: Double = 7, damping: Double = 0.7, minTrackErrorBoundM: Double = 5,
                maxRollRad: Double = Angle.radians(fromDegrees: 40), cruiseAirspeedMps: Double = 16,
                acceptanceRadiusM: Double = 20, turnAnticipation: Bool = true, loiterRadiusM: Double = 80,
                loiterCaptureM: Double = 10, rtlAltitudeM: Double = 60, approachAirspeedMps: Double = 15) {
        self.periodS = periodS; self.damping = damping; self.minTrackErrorBoundM = minTrackErrorBoundM
        self.maxRollRad = maxRollRad; self.cruiseAirspeedMps = cruiseAirspeedMps
        self.acceptanceRadiusM = acceptanceRadiusM; self.turnAnticipation = turnAnticipation
        self.loiterRadiusM = loiterRadiusM; self.loiterCaptureM = loiterCaptureM; self.rtlAltitudeM = rtlAltitudeM
        self.approachAirspeedMps = approachAirspeedMps
    }

    public static let defaults = GuidanceConfig()

    enum CodingKeys: String, CodingKey {
        case periodS = "npfg_period_s", damping = "npfg_damping", minTrackErrorBoundM = "min_track_error_bound_m"
        case maxRollDeg = "max_roll_deg", cruiseAirspeedMps = "cruise_airspeed_mps"
        case acceptanceRadiusM = "acceptance_radius_m", turnAnticipation = "turn_anticipation"
        case loiterRadiusM = "loiter_radius_m", loiterCaptureM = "loiter_capture_m", rtlAltitudeM = "rtl_altitude_m"
        case approachAirspeedMps = "approach_airspeed_mps"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        periodS = try c.tunable(.periodS, default: d.periodS, in: 1...60, unit: "s")
        damping = try c.tunable(.damping, default: d.damping, in: 0.3...1.5)
        minTrackErrorBoundM = try c.tunable(.minTrackErrorBoundM, default: d.minTrackErrorBoundM, in: 0.5...500,
                                            unit: "m")
        maxRollRad = Angle.radians(fromDegrees: try c.tunable(
            .maxRollDeg, default: Angle.degrees(fromRadians: d.maxRollRad), in: 5...70, unit: "deg"))
        cruiseAirspeedMps = try c.tunable(.cruiseAirspeedMps, default: d.cruiseAirspeedMps, in: 1...100, unit: "m/s")
        acceptanceRadiusM = try c.tunable(.acceptanceRadiusM, default: d.acceptanceRadiusM, in: 1...1000, unit: "m")
        turnAnticipation = try c.tunable(.turnAnticipation, default: d.turnAnticipation)
        loiterRadiusM = try c.tunable(.loiterRadiusM, default: d.loiterRadiusM, in: 10...5000, unit: "m")
        loiterCaptureM = try c.tunable(.loiterCaptureM, default: d.loiterCaptureM, in: 1...500, unit: "m")
        rtlAltitudeM = try c.tunable(.rtlAltitudeM, default: d.rtlAltitudeM, in: 10...2000, unit: "m")
        approachAirspeedMps = try c.tunable(.approachAirspeedMps, default: d.approachAirspeedMps, in: 1...100,
                                            unit: "m/s")
    }

    /// Radius of a coordinated turn at `speedMps` and the roll limit: R = V² / (g·tan φ_max).
    public func turnRadiusM(speedMps: Double) -> Double {
        speedMps * speedMps / (WGS84.standardGravityMps2 * Double.tan(maxRollRad))
    }
}
