import FlightMath
import RealModule

/// Coefficients evaluated at one flight condition, kept for logs and tests.
public struct AeroCoefficientsAtPoint: Hashable, Sendable {
    public var lift: Double
    public var drag: Double
    public var side: Double
    public var roll: Double
    public var pitch: Double
    public var yaw: Double
}

/// Fixed-wing forces and moments from stability and control derivatives (the linear model of Beard & McLain,
/// "Small Unmanned Aircraft", ch. 4, with their sigmoid blend into flat-plate lift past the stall).
public struct AerodynamicModel: Hashable, Sendable {
    public let coefficients: AerodynamicsSection
    public let geometry: GeometrySection
    let stallAlphaRad: Double

    public init(coefficients: AerodynamicsSection, geometry: GeometrySection) {
        self.coefficients = coefficients
        self.geometry = geometry
        self.stallAlphaRad = Angle.radians(fromDegrees: coefficients.lift.stallAlphaDeg)
    }

    /// σ(α) in [0, 1]: 0 in attached flow, 1 fully stalled, symmetric for negative α.
    public func stallBlend(alphaRad a: Double) -> Double {
        let m = coefficients.lift.stallBlendPerRad
        // Exponents are clamped so that a tumbling airframe (|α| near π) cannot overflow to inf/inf = NaN.
        let e1 = Double.exp((-m * (a - stallAlphaRad)).clamped(to: -50...50))
        let e2 = Double.exp((m * (a + stallAlphaRad)).clamped(to: -50...50))
        return (1 + e1 + e2) / ((1 + e1) * (1 + e2))
    }

    /// Lift coefficient of the wing alone (no rate or surface terms): linear, then flat plate.
    public func wingLiftCoefficient(alphaRad a: Double) -> Double {
        let sigma = stallBlend(alphaRad: a)
        let linear = coefficients.lift.c0 + coefficients.lift.alphaPerRad * a
        let sinA = Double.sin(a), cosA = Double.cos(a)
        let plate = coefficients.drag.flatPlateC * sinA * cosA
        return (1 - sigma) * linear + sigma * plate
    }

    /// Coefficients at an air-data point, body rates and surface deflections.
    public func coefficients(air: AirData, bodyRateFRDRadps w: Vector3,
                                        surfaces d: SurfaceDeflections) -> AeroCoefficientsAtPoint {
        let c = coefficients
        let v = max(air.airspeedMps, 1)
        let a = air.alphaRad, b = air.betaRad
        let pHat = w.x * geometry.spanM / (2 * v)
        let qHat = w.y * geometry.chordM / (2 * v)
        let rHat = w.z * geometry.spanM / (2 * v)
        let sigma = stallBlend(alphaRad: a)
        let sinA = Double.sin(a)
        let linearLift = c.lift.c0 + c.lift.alphaPerRad * a
        let lift = wingLiftCoefficient(alphaRad: a) + c.lift.qPerRad * qHat + c.lift.deltaEPerRad * d.elevatorRad
        let attachedDrag = c.drag.c0 + c.drag.inducedK * linearLift * linearLift
        let plateDrag = c.drag.c0 + c.drag.flatPlateC * sinA * sinA
        let drag = (1 - sigma) * attachedDrag + sigma * plateDrag + c.drag.qPerRad * qHat
            + c.drag.absDeltaEPerRad * abs(d.elevatorRad) + c.drag.absDeltaAPerRad * abs(d.aileronRad)
            + c.drag.absDeltaRPerRad * abs(d.rudderRad)
        func lateral(_ l: LateralDerivatives) -> Double {
            l.betaPerRad * b + l.pPerRad * pHat + l.rPerRad * rHat + l.deltaAPerRad * d.aileronRad
                + l.deltaRPerRad * d.rudderRad
        }
        let pitch = c.pitchMoment.c0 + c.pitchMoment.alphaPerRad * a + c.pitchMoment.qPerRad * qHat
            + c.pitchMoment.deltaEPerRad * d.elevatorRad
        return AeroCoefficientsAtPoint(lift: lift, drag: drag, side: lateral(c.sideForce), roll: lateral(c.rollMoment),
                                       pitch: pitch, yaw: lateral(c.yawMoment))
    }

    /// Force and moment about the centre of gravity, body FRD. Lift and drag act in the stability axes (rotated by
    /// α about body y), the side force along body y.
    public func wrench(air: AirData, densityKgpm3: Double, bodyRateFRDRadps w: Vector3,
                                  surfaces d: SurfaceDeflections) -> Wrench {
        guard air.airspeedMps >= 0.1 else { return .zero }
        let k = coefficients(air: air, bodyRateFRDRadps: w, surfaces: d)
        let qS = 0.5 * densityKgpm3 * air.airspeedMps * air.airspeedMps * geometry.wingAreaM2
        let cosA = Double.cos(air.alphaRad), sinA = Double.sin(air.alphaRad)
        let force = Vector3(
            qS * (-k.drag * cosA + k.lift * sinA),
            qS * k.side,
            qS * (-k.drag * sinA - k.lift * cosA))
        let moment = Vector3(
            qS * geometry.spanM * k.roll,
            qS * geometry.chordM * k.pitch,
            qS * geometry.spanM * k.yaw)
        return Wrench(forceFRDN: force, momentFRDNm: moment)
    }
}
