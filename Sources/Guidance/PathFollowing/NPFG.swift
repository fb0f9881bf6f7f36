import FlightMath
import RealModule

/// Lateral guidance output for one tick.
public struct LateralGuidance: Sendable, Equatable {
    /// Positive to the right (clockwise turn seen from above).
    public var lateralAccelerationMps2: Double
    public var rollSetpointRad: Double
    /// Ground course of the reference ground velocity.
    public var courseSetpointRad: Double
    public var trackErrorM: Double
    public var bearingFeasibility: Double
}

/// Nonlinear path-following guidance in the spirit of NPFG (Stastny & Siegwart): a look-ahead bearing that turns
/// from "straight at the path" to "along the path" as the track error falls inside a boundary, an air-velocity
/// reference that holds that bearing against the wind (crabbing by asin(w⊥/V)), and a lateral acceleration that
/// rotates the air velocity onto the reference, plus the path-curvature feed-forward corrected for wind.
///
/// Tuning is by period P and damping ζ of the linearised track-error dynamics: gain k = 4πζ/P (1/s) and
/// boundary e_b = ζ·P·V_g. With bearing offset ≈ π·e/e_b near the path this gives ë + k·ė + (2π/P)²·e = 0.
/// When the wind is as fast as the airspeed no bearing is feasible; the reference then blends toward heading
/// straight into the wind, which keeps the drift as small as it can be instead of running away downwind.
public struct NPFG: Sendable {
    public var config: GuidanceConfig
    /// Ground speed along the bearing below which the bearing counts as only partly feasible.
    static let feasibilityMarginMps = 2.0

    public init(config: GuidanceConfig) { self.config = config }

    func guide(state: GuidanceState, path: PathSample) -> LateralGuidance {
        let wind = NE(state.windNEDMps)
        let groundVelocity = NE(state.velocityNEDMps)
        let airspeed = max(state.airspeedMps.isFinite ? state.airspeedMps : 0, 1)
        let groundSpeed = groundVelocity.norm

        // Look-ahead bearing.
        let boundary = max(config.damping * config.periodS * groundSpeed, config.minTrackErrorBoundM)
        let normalisedError = min(abs(path.trackErrorM) / boundary, 1)
        let lookAhead = Double.pi / 2 * (1 - normalisedError) * (1 - normalisedError)
        let bearing = (path.normalTowardPath * Double.cos(lookAhead) + path.tangent * Double.sin(lookAhead)).normalized
        let bearingUnit = bearing == .zero ? path.tangent : bearing

        let (airReference, feasibility) = Self.airVelocityReference(bearing: bearingUnit, wind: wind,
                                                                      airspeedMps: airspeed)

        // Current air velocity direction: ground velocity minus wind; with no usable motion, assume on reference.
        var airVelocity = groundVelocity - wind
        if airVelocity.norm < 0.5 { airVelocity = airReference }
        let headingError = Angle.wrapPi(airReference.bearingRad - airVelocity.bearingRad)
        let gain = 4 * Double.pi * config.damping / config.periodS
        let corrective = airspeed * gain * headingError

        // Curvature feed-forward: to follow a ground path of curvature κ at ground speed V_g with crab angle η the
        // heading must turn at κ·V_g²/(V·cos η), i.e. a lateral acceleration κ·V_g²/cos η. Faded out away from the
        // path, where the bearing is not along the tangent.
        let tangentWind = Self.windComponents(wind, along: path.tangent)
        var feedForward = 0.0
        if path.curvaturePerM != 0, abs(tangentWind.cross) < airspeed {
            let cosCrab = max((1 - (tangentWind.cross / airspeed) * (tangentWind.cross / airspeed)).squareRoot(), 0.1)
            let tangentGroundSpeed = max(airspeed * cosCrab + tangentWind.along, 0)
            feedForward = path.curvaturePerM * tangentGroundSpeed * tangentGroundSpeed / cosCrab
                * (1 - normalisedError * normalisedError)
        }

        let maxAcceleration = WGS84.standardGravityMps2 * Double.tan(config.maxRollRad)
        let acceleration = (corrective + feedForward).clamped(to: -maxAcceleration...maxAcceleration)
        let roll = Double.atan(acceleration / WGS84.standardGravityMps2)
        let groundReference = airReference + wind
        return LateralGuidance(lateralAccelerationMps2: acceleration, rollSetpointRad: roll,
                               courseSetpointRad: (groundReference.norm > 0.1 ? groundReference : bearingUnit).bearingRad,
                               trackErrorM: path.trackErrorM, bearingFeasibility: feasibility)
    }

    /// Wind split into the component along `direction` and the one to its right.
    static func windComponents(_ wind: NE, along direction: NE) -> (along: Double, cross: Double) {
        (wind.dot(direction), wind.dot(direction.right))
    }

    /// Air velocity (magnitude = airspeed) whose sum with the wind points along `bearing`, and how feasible that
    /// is (1 = ground speed along the bearing at least the margin, 0 = none).
    static func airVelocityReference(bearing: NE, wind: NE, airspeedMps: Double) -> (NE, Double) {
        let (along, cross) = windComponents(wind, along: bearing)
        // Cancel the cross wind: air velocity's rightward component = −cross.
        let sinCrab = (-cross / airspeedMps).clamped(to: -1...1)
        let cosCrab = (1 - sinCrab * sinCrab).squareRoot()
        let crabbed = bearing * (airspeedMps * cosCrab) + bearing.right * (airspeedMps * sinCrab)
        let progress = airspeedMps * cosCrab + along
        let feasibility = (progress / feasibilityMarginMps).clamped(to: 0...1)
        if feasibility >= 1 || wind.norm == 0 { return (crabbed, wind.norm == 0 ? 1 : feasibility) }
        let intoWind = -wind.normalized * airspeedMps
        let blended = (crabbed * feasibility + intoWind * (1 - feasibility)).normalized * airspeedMps
        return (blended == .zero ? intoWind : blended, feasibility)
    }
}
