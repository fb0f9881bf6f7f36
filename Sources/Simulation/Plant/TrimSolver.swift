import FlightMath
import RealModule

/// A wings-level steady-state flight condition.
public struct TrimPoint: Hashable, Sendable {
    public var airspeedMps: Double
    public var alphaRad: Double
    public var elevatorRad: Double
    public var throttle: Double
    public var flightPathAngleRad: Double
    /// The aileron that holds the wings level against the propeller's roll moment (its reaction torque): a pilot's
    /// aileron trim. Zero in a glide.
    public var aileronRad: Double = 0

    public var pitchRad: Double { alphaRad + flightPathAngleRad }
}

/// Finds steady, wings-level, straight flight for an airframe: the three longitudinal equilibrium equations
/// (body x force, body z force, pitching moment) solved by Newton's method with a numerical Jacobian.
public struct TrimSolver: Sendable {
    public let aerodynamics: AerodynamicModel
    public let propulsion: PropulsionModel
    public let mass: MassProperties

    public init?(airframe: AirframeFile) {
        guard let m = airframe.mass.massProperties else { return nil }
        aerodynamics = AerodynamicModel(coefficients: airframe.aerodynamics, geometry: airframe.geometry)
        propulsion = PropulsionModel(parameters: airframe.propulsion)
        mass = m
    }

    /// Residual force and moment for α, δe, throttle, γ at `airspeedMps` and density.
    func residual(alphaRad: Double, elevatorRad: Double, throttle: Double, gammaRad: Double, airspeedMps v: Double,
                  densityKgpm3: Double, voltageRatio: Double) -> Vector3 {
        let air = AirData(airVelocityFRDMps: Vector3(v * Double.cos(alphaRad), 0, v * Double.sin(alphaRad)))
        let aero = aerodynamics.wrench(
            air: air, densityKgpm3: densityKgpm3, bodyRateFRDRadps: .zero,
            surfaces: SurfaceDeflections(aileronRad: 0, elevatorRad: elevatorRad, rudderRad: 0))
        var prop = propulsion
        prop.reset(throttle: throttle)
        let out = prop.output(axialAirspeedMps: air.airspeedMps * Double.cos(alphaRad), densityKgpm3: densityKgpm3,
                              voltageRatio: voltageRatio)
        let thrust = out.thrustN
        let theta = alphaRad + gammaRad
        let weight = mass.massKg * WGS84.standardGravityMps2
        return Vector3(
            (aero.forceFRDN.x + thrust - weight * Double.sin(theta)) / weight,
            (aero.forceFRDN.z + weight * Double.cos(theta)) / weight,
            (aero.momentFRDNm.y + out.pitchMomentNm) / (0.5 * densityKgpm3 * v * v * aerodynamics.geometry.wingAreaM2
                                  * aerodynamics.geometry.chordM))
    }

    /// Powered trim at flight-path angle `gammaRad` (0 = level): solves α, δe and throttle.
    public func powered(airspeedMps: Double, gammaRad: Double = 0, densityKgpm3: Double = 1.225,
                        voltageRatio: Double = 1) -> TrimPoint? {
        // Start at high throttle: below the zero-thrust speed the propeller is windmilling drag.
        let x = newton(start: Vector3(0.05, 0, 0.95)) { x in
            residual(alphaRad: x.x, elevatorRad: x.y, throttle: x.z, gammaRad: gammaRad, airspeedMps: airspeedMps,
                     densityKgpm3: densityKgpm3, voltageRatio: voltageRatio)
        }
        guard let x, (0...1).contains(x.z) else { return nil }
        return TrimPoint(airspeedMps: airspeedMps, alphaRad: x.x, elevatorRad: x.y, throttle: x.z,
                         flightPathAngleRad: gammaRad,
                         aileronRad: aileronTrimRad(alphaRad: x.x, throttle: x.z, airspeedMps: airspeedMps,
                                                    densityKgpm3: densityKgpm3, voltageRatio: voltageRatio))
    }

    /// Engine-off glide: solves α, δe and the (negative) flight-path angle.
    public func glide(airspeedMps: Double, densityKgpm3: Double = 1.225) -> TrimPoint? {
        let x = newton(start: Vector3(0.05, 0, -0.08)) { x in
            residual(alphaRad: x.x, elevatorRad: x.y, throttle: 0, gammaRad: x.z, airspeedMps: airspeedMps,
                     densityKgpm3: densityKgpm3, voltageRatio: 1)
        }
        guard let x else { return nil }
        return TrimPoint(airspeedMps: airspeedMps, alphaRad: x.x, elevatorRad: x.y, throttle: 0,
                         flightPathAngleRad: x.z)
    }

    /// δa with Clδa·δa·q̄·S·b + L_propeller = 0 at the trim (β, rates zero; the aileron's small adverse yaw is left).
    func aileronTrimRad(alphaRad: Double, throttle: Double, airspeedMps v: Double, densityKgpm3: Double,
                        voltageRatio: Double) -> Double {
        var prop = propulsion
        prop.reset(throttle: throttle)
        let rollNm = prop.output(axialAirspeedMps: v * Double.cos(alphaRad), densityKgpm3: densityKgpm3,
                                 voltageRatio: voltageRatio).rollTorqueNm
        let g = aerodynamics.geometry
        let perRad = aerodynamics.coefficients.rollMoment.deltaAPerRad * 0.5 * densityKgpm3 * v * v * g.wingAreaM2 * g.spanM
        return perRad != 0 ? -rollNm / perRad : 0
    }

    private func newton(start: Vector3, _ f: (Vector3) -> Vector3) -> Vector3? {
        var x = start
        for _ in 0..<50 {
            let r = f(x)
            if r.norm < 1e-12 { return x }
            let h = 1e-7
            var jacobian = Matrix3.zero
            for j in 0..<3 {
                var xp = x
                xp[j] += h
                let column = (f(xp) - r) / h
                for i in 0..<3 { jacobian[i, j] = column[i] }
            }
            guard let inverse = jacobian.inverse() else { return nil }
            let dx = inverse * r
            x -= dx.clamped(toMagnitude: 0.2)
            guard x.isFinite else { return nil }
        }
        return f(x).norm < 1e-9 ? x : nil
    }
}
