import FlightMath
import Testing
@testable import Simulation

/// The propeller's windmilling drag, thrust-line offset and reaction torque, on the model and as the plant's forces
/// and moments. Each test fails on the model without its effect.
@Suite struct PropellerRealismTests {
    static let rho = 1.225

    static func model(_ change: (inout PropulsionSection) -> Void = { _ in }, throttle: Double) throws
        -> PropulsionModel {
        var p = try Fixture.airframe().propulsion
        change(&p)
        var m = PropulsionModel(parameters: p)
        m.reset(throttle: throttle)
        return m
    }

    /// Motor off: the propeller is drag, ½ρV²·A·C_D, growing with the square of the airspeed; none at rest.
    @Test func windmillingPropellerAtZeroThrottleIsDragGrowingWithAirspeed() throws {
        let m = try Self.model(throttle: 0)
        let p = m.parameters
        let areaM2 = Double.pi * p.propDiameterM * p.propDiameterM / 4
        var previous = 0.0
        for v in [5.0, 10, 17, 25] {
            let out = m.output(axialAirspeedMps: v, densityKgpm3: Self.rho, voltageRatio: 1)
            #expect(out.thrustN < previous, "\(v) m/s: \(out.thrustN) N")
            #expect(abs(out.thrustN + 0.5 * Self.rho * v * v * areaM2 * p.windmillDragCoefficient) < 1e-9)
            #expect(out.electricalPowerW == 0 && out.rollTorqueNm == 0)
            previous = out.thrustN
        }
        #expect(m.output(axialAirspeedMps: 0, densityKgpm3: Self.rho, voltageRatio: 1).thrustN == 0)
    }

    /// Throttled back below the zero-thrust speed the drag is less than windmilling and fades to zero at it, so the
    /// axial force is continuous and rises with throttle.
    @Test func axialForceRisesContinuouslyThroughZeroThrust() throws {
        var previous = try Self.model(throttle: 0).output(axialAirspeedMps: 17, densityKgpm3: Self.rho,
                                                          voltageRatio: 1).thrustN
        for step in 1...100 {
            let m = try Self.model(throttle: Double(step) / 100)
            let f = m.output(axialAirspeedMps: 17, densityKgpm3: Self.rho, voltageRatio: 1).thrustN
            // At most dT/dn = T_static·(2 − V/V_pitch) ≈ 36 N per unit throttle on the 2 m: 0.36 N a step.
            #expect(f > previous && f - previous < 0.4, "throttle \(Double(step) / 100): \(f) N after \(previous) N")
            previous = f
        }
    }

    /// Thrust line 5 cm below the CG: thrust × 0.05 m nose up; 5 cm above: nose down. In the plant, with the air
    /// switched off, the thrust alone pitches the airframe that way.
    @Test func thrustLineOffsetGivesTheRightSignedPitchingMoment() throws {
        for offsetM in [0.05, -0.05] {
            let m = try Self.model({ $0.thrustLineOffsetM = offsetM }, throttle: 1)
            let out = m.output(axialAirspeedMps: 10, densityKgpm3: Self.rho, voltageRatio: 1)
            #expect(out.thrustN > 5)
            #expect(abs(out.pitchMomentNm - offsetM * out.thrustN) < 1e-12)
            let q = try Self.bodyRateAfterFullThrottle { $0.propulsion.thrustLineOffsetM = offsetM }.y
            // About 0.8 N·m on Iyy 0.36 kg·m² for 0.2 s: q ≈ 0.4 rad/s.
            #expect(offsetM > 0 ? q > 0.1 : q < -0.1, "offset \(offsetM) m: q \(q) rad/s")
        }
        // On the CG only inertia coupling of the torque's roll and yaw rates pitches it, a thousandth of that.
        let none = try Self.bodyRateAfterFullThrottle { $0.propulsion.thrustLineOffsetM = 0 }.y
        #expect(abs(none) < 0.01, "q \(none) rad/s")
    }

    /// A propeller turning clockwise seen from behind rolls the airframe left (negative about body x), by the
    /// shaft torque P_shaft/ω, growing with power; counter-clockwise, right.
    @Test func reactionTorqueRollsAgainstThePropellerRotation() throws {
        var previousNm = 0.0
        for throttle in [0.4, 0.7, 1.0] {
            let m = try Self.model({ $0.propRotation = .clockwise }, throttle: throttle)
            let out = m.output(axialAirspeedMps: 12, densityKgpm3: Self.rho, voltageRatio: 1)
            #expect(out.thrustN > 0 && out.rollTorqueNm < previousNm, "throttle \(throttle): \(out.rollTorqueNm) N·m")
            // Torque × shaft speed is the shaft power.
            let p = m.parameters
            let shaftRadps = throttle * 2 * Double.pi * p.pitchSpeedMps / p.propPitchM
            #expect(abs(-out.rollTorqueNm * shaftRadps - out.electricalPowerW * p.motorEfficiency) < 1e-9)
            previousNm = out.rollTorqueNm
        }
        let ccw = try Self.model({ $0.propRotation = .counterclockwise }, throttle: 1)
        #expect(ccw.output(axialAirspeedMps: 12, densityKgpm3: Self.rho, voltageRatio: 1).rollTorqueNm > 0)
        let p = try Self.bodyRateAfterFullThrottle { $0.propulsion.propRotation = .clockwise }.x
        #expect(p < -1e-3, "roll rate \(p) rad/s")
    }

    /// Body rates after 0.2 s at full throttle on a plant without aerodynamics or ground, from level flight at
    /// 12 m/s with the surfaces neutral.
    static func bodyRateAfterFullThrottle(_ change: (inout AirframeFile) -> Void) throws -> Vector3 {
        var airframe = try Fixture.airframe()
        airframe.propulsion.torquePerThrustM = 0
        change(&airframe)
        var v = try SimulatedVehicle(
            airframe: airframe, origin: Fixture.origin,
            launch: LaunchSection(speedMps: 12, climbAngleDeg: 0, headingDeg: 0, heightM: 100),
            wind: Fixture.calmWind(), seed: 1,
            initialControls: PlantControls(throttle: 1),
            options: PlantOptions(aerodynamicsEnabled: false, groundContactEnabled: false))
        for _ in 0..<80 { v.step(controls: PlantControls(throttle: 1)) }
        return v.state.bodyRateFRDRadps
    }
}
