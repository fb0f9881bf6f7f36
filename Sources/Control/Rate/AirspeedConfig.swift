import FlightMath

/// `[control.airspeed]`: the airframe's airspeed envelope, shared by gain scaling and TECS.
public struct AirspeedConfig: Sendable, Equatable, Decodable {
    /// Lowest airspeed TECS may command; underspeed protection starts below it.
    public var minMps: Double
    /// Cruise airspeed the rate gains were tuned at (gain scale 1).
    public var trimMps: Double
    public var maxMps: Double
    /// Limits on the surface gain scale (trim/V)², so a bad or very low airspeed cannot make gains explode.
    public var gainScaleMin: Double
    public var gainScaleMax: Double

    public init(minMps: Double = 12, trimMps: Double = 16, maxMps: Double = 25, gainScaleMin: Double = 0.5,
                gainScaleMax: Double = 2) {
        self.minMps = minMps; self.trimMps = trimMps; self.maxMps = maxMps
        self.gainScaleMin = gainScaleMin; self.gainScaleMax = gainScaleMax
    }

    public static let defaults = AirspeedConfig()

    enum CodingKeys: String, CodingKey {
        case minMps = "min_mps", trimMps = "trim_mps", maxMps = "max_mps"
        case gainScaleMin = "gain_scale_min", gainScaleMax = "gain_scale_max"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        minMps = try c.tunable(.minMps, default: d.minMps, in: 1...100, unit: "m/s")
        trimMps = try c.tunable(.trimMps, default: d.trimMps, in: 1...100, unit: "m/s")
        maxMps = try c.tunable(.maxMps, default: d.maxMps, in: 1...150, unit: "m/s")
        gainScaleMin = try c.tunable(.gainScaleMin, default: d.gainScaleMin, in: 0.05...1)
        gainScaleMax = try c.tunable(.gainScaleMax, default: d.gainScaleMax, in: 1...10)
        guard minMps <= trimMps else { throw c.invalid(.trimMps, "trim_mps \(trimMps) is below min_mps \(minMps)") }
        guard trimMps <= maxMps else { throw c.invalid(.maxMps, "max_mps \(maxMps) is below trim_mps \(trimMps)") }
    }

    /// Scale for surface gains at `airspeedMps`: dynamic pressure falls with V², so gains grow as (V_trim / V)²,
    /// clamped. A non-finite or non-positive airspeed (failed sensor) gives 1, the gains as tuned.
    public func gainScale(airspeedMps: Double) -> Double {
        guard airspeedMps.isFinite, airspeedMps > 0 else { return 1 }
        let ratio = trimMps / airspeedMps
        return (ratio * ratio).clamped(to: gainScaleMin...gainScaleMax)
    }
}
