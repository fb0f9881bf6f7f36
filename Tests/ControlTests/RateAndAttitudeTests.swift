import FlightMath
import RealModule
import Testing
@testable import Control

@Suite struct RateAndAttitudeTests {
    let airspeed = AirspeedConfig(minMps: 12, trimMps: 16, maxMps: 25, gainScaleMin: 0.5, gainScaleMax: 2)

    @Test func airspeedScaleIsTrimOverSpeedSquaredClamped() {
        #expect(abs(airspeed.gainScale(airspeedMps: 20) - 0.64) < 1e-12)
        #expect(abs(airspeed.gainScale(airspeedMps: 14) - 256.0 / 196.0) < 1e-12)
        #expect(airspeed.gainScale(airspeedMps: 8) == 2)  // 4, clamped
        #expect(airspeed.gainScale(airspeedMps: 40) == 0.5)  // 0.16, clamped
        #expect(airspeed.gainScale(airspeedMps: .nan) == 1)
        #expect(airspeed.gainScale(airspeedMps: 0) == 1)
    }

    @Test func rateLoopScalesProportionalAndFeedForwardWithAirspeed() {
        var loop = RateController(gains: RateAxisGains(kp: 0.2, ki: 0, ff: 0.5, integratorLimit: 0.2))
        // scale·(kp·(1.0 − 0.4) + ff·1.0) = 0.64·(0.12 + 0.5)
        let u = loop.update(rateSetpointRadps: 1, rateRadps: 0.4, gainScale: airspeed.gainScale(airspeedMps: 20),
                            dtS: 0.0025, integrate: true)
        #expect(abs(u - 0.64 * 0.62) < 1e-12)
    }

    @Test func integratorStaysBoundedAndStopsWhileSaturated() {
        let gains = RateAxisGains(kp: 0.1, ki: 2, ff: 0, integratorLimit: 0.3)
        var loop = RateController(gains: gains)
        var peak = 0.0
        for _ in 0..<4000 {  // 10 s of a 1 rad/s error the surface cannot remove
            _ = loop.update(rateSetpointRadps: 1, rateRadps: 0, gainScale: 1, dtS: 0.0025, integrate: true)
            peak = max(peak, loop.integrator)
        }
        #expect(peak <= 0.3 + 1e-12)
        #expect(loop.integrator > 0.29)  // it did integrate up to its bound
        // Saturated high by a large error: the integrator must not grow.
        var saturated = RateController(gains: RateAxisGains(kp: 2, ki: 2, ff: 0, integratorLimit: 0.3))
        for _ in 0..<4000 {
            let u = saturated.update(rateSetpointRadps: 1, rateRadps: 0, gainScale: 1, dtS: 0.0025, integrate: true)
            #expect(u == 1)
        }
        #expect(saturated.integrator == 0)
        // When the error reverses the output leaves saturation at once: −2·0.2 + 0 = −0.4.
        let u = saturated.update(rateSetpointRadps: 0, rateRadps: 0.2, gainScale: 1, dtS: 0.0025, integrate: true)
        #expect(abs(u - (-0.4 - 2 * 0.2 * 0.0025)) < 1e-12)
    }

    @Test func integratorsFrozenBeforeLaunch() {
        var control = FixedWingAttitudeControl(attitude: .defaults, rates: .defaults, airspeed: airspeed)
        let state = AttitudeControlState(rollRad: 0, pitchRad: 0, bodyRatesFRDRadps: .zero, airspeedMps: 0,
                                         lateralSpecificForceMps2: -2)
        for _ in 0..<2000 {
            _ = control.update(rollSetpointRad: 0.3, pitchSetpointRad: 0.2, throttle: 0, state: state, dtS: 0.0025,
                               inFlight: false)
        }
        #expect(control.status.rollIntegrator == 0)
        #expect(control.status.pitchIntegrator == 0)
        #expect(control.status.yawIntegrator == 0)
        #expect(control.status.integratorsFrozen)
        for _ in 0..<200 {
            _ = control.update(rollSetpointRad: 0.3, pitchSetpointRad: 0.2, throttle: 0, state: state, dtS: 0.0025,
                               inFlight: true)
        }
        #expect(control.status.rollIntegrator > 0)
        #expect(control.status.pitchIntegrator > 0)
        #expect(control.status.yawIntegrator > 0)
    }

    @Test func angleLoopsRespectAngleAndRateLimits() {
        let loops = AttitudeController(config: .defaults, airspeed: airspeed)
        // 80° asked, 45° allowed: (45° − 0)/0.4 s = 112°/s, limited to 90°/s.
        let r = loops.rateSetpoint(rollSetpointRad: Angle.radians(fromDegrees: 80), pitchSetpointRad: 0, rollRad: 0,
                                   pitchRad: 0, airspeedMps: 16)
        #expect(abs(r.rollRadps - Angle.radians(fromDegrees: 90)) < 1e-12)
        // Small error: 10°/0.4 s = 25°/s, inside the limit.
        let s = loops.rateSetpoint(rollSetpointRad: Angle.radians(fromDegrees: 10), pitchSetpointRad: 0, rollRad: 0,
                                   pitchRad: 0, airspeedMps: 16)
        #expect(abs(s.rollRadps - Angle.radians(fromDegrees: 25)) < 1e-12)
        // Pitch down limited to 45°/s, up to 60°/s; angle to −25°…25°.
        let down = loops.rateSetpoint(rollSetpointRad: 0, pitchSetpointRad: -1.5, rollRad: 0, pitchRad: 0,
                                      airspeedMps: 16)
        #expect(abs(down.pitchRadps + Angle.radians(fromDegrees: 45)) < 1e-12)
        let up = loops.rateSetpoint(rollSetpointRad: 0, pitchSetpointRad: 1.0, rollRad: 0,
                                    pitchRad: Angle.radians(fromDegrees: 24), airspeedMps: 16)
        #expect(abs(up.pitchRadps - Angle.radians(fromDegrees: 1) / 0.4) < 1e-12)
    }

    @Test func coordinatedTurnFeedForwardMatchesLevelTurnKinematics() {
        let loops = AttitudeController(config: .defaults, airspeed: airspeed)
        let bank = Angle.radians(fromDegrees: 30)
        let r = loops.rateSetpoint(rollSetpointRad: bank, pitchSetpointRad: 0, rollRad: bank, pitchRad: 0,
                                   airspeedMps: 16)
        // Level coordinated turn: ψ̇ = g·tanφ/V; body q = ψ̇·sinφ = g·sinφ·tanφ/V, r = ψ̇·cosφ = g·sinφ/V.
        let g = 9.80665
        #expect(abs(r.turnRateRadps - g * Double.tan(bank) / 16) < 1e-12)
        #expect(abs(r.pitchRadps - g * 0.5 * Double.tan(bank) / 16) < 1e-12)
        #expect(abs(r.yawRadps - g * 0.5 / 16) < 1e-12)
        #expect(abs(r.rollRadps) < 1e-12)
        // Below minimum airspeed the turn rate is computed at the minimum (12 m/s), not at 3 m/s.
        let slow = loops.rateSetpoint(rollSetpointRad: bank, pitchSetpointRad: 0, rollRad: bank, pitchRad: 0,
                                      airspeedMps: 3)
        #expect(abs(slow.turnRateRadps - g * Double.tan(bank) / 12) < 1e-12)
    }

    @Test func yawDamperOpposesTransientsButWashesOutSteadyRate() {
        var config = RateConfig.defaults
        config.yawRateFF = 0
        config.turnCoordinationKp = 0
        config.turnCoordinationKi = 0
        var yaw = YawController(config: config)
        _ = yaw.update(turnYawRateRadps: 0, yawRateRadps: 0, lateralSpecificForceMps2: 0, gainScale: 1, dtS: 0.01,
                       integrate: true)
        // A yaw-rate step of 0.5 rad/s: the washed-out rate is τ/(τ+dt)·0.5, rudder −0.2 of it.
        let first = yaw.update(turnYawRateRadps: 0, yawRateRadps: 0.5, lateralSpecificForceMps2: 0, gainScale: 1,
                               dtS: 0.01, integrate: true)
        #expect(abs(first - (-0.2 * 0.5 * 1.0 / 1.01)) < 1e-12)
        var last = first
        for _ in 0..<1000 {  // 10 s = 10 washout time constants
            last = yaw.update(turnYawRateRadps: 0, yawRateRadps: 0.5, lateralSpecificForceMps2: 0, gainScale: 1,
                              dtS: 0.01, integrate: true)
        }
        #expect(abs(last) < 1e-4 * abs(first) * 10)
    }

    @Test func turnCoordinationRuddersAgainstSideslip() {
        var config = RateConfig.defaults
        config.yawRateFF = 0
        config.yawDamperGain = 0
        var yaw = YawController(config: config)
        // Nose left of the airflow: negative lateral specific force; positive (nose-right) rudder is needed.
        let u = yaw.update(turnYawRateRadps: 0, yawRateRadps: 0, lateralSpecificForceMps2: -2, gainScale: 1,
                           dtS: 0.01, integrate: true)
        #expect(abs(u - (0.05 * 2 + 0.02 * 2 * 0.01)) < 1e-12)
        var v = u
        for _ in 0..<100_000 {
            v = yaw.update(turnYawRateRadps: 0, yawRateRadps: 0, lateralSpecificForceMps2: -2, gainScale: 1,
                           dtS: 0.01, integrate: true)
        }
        #expect(abs(yaw.coordinationIntegrator - 0.2) < 1e-12)  // bounded by turn_coord_imax
        #expect(abs(v - 0.3) < 1e-12)
    }

    /// Roll-axis model: ṗ = (L·δa·(V/V_trim)² − p)/τ_p (surface authority grows with dynamic pressure), φ̇ = p.
    /// The loop must reach a 30° bank with little overshoot at trim and at 1.4× trim speed.
    @Test(arguments: [16.0, 22.4])
    func rollStepSettlesOnARollModeModel(speedMps: Double) {
        var control = FixedWingAttitudeControl(attitude: .defaults, rates: .defaults, airspeed: airspeed)
        let dt = 0.0025, rollModeS = 0.15, authorityRadps = 2.5
        var roll = 0.0, p = 0.0, peak = 0.0
        let target = Angle.radians(fromDegrees: 30)
        for _ in 0..<Int(3 / dt) {
            let state = AttitudeControlState(rollRad: roll, pitchRad: 0, bodyRatesFRDRadps: Vector3(p, 0, 0),
                                             airspeedMps: speedMps)
            let u = control.update(rollSetpointRad: target, pitchSetpointRad: 0, throttle: 0.5, state: state,
                                   dtS: dt, inFlight: true)
            let q = (speedMps / 16) * (speedMps / 16)
            p += (authorityRadps * u.roll * q - p) / rollModeS * dt
            roll += p * dt
            peak = max(peak, roll)
        }
        #expect(abs(roll - target) < Angle.radians(fromDegrees: 1))
        #expect(peak < target * 1.1)
    }
}
