import ConfigFiles
import FlightMath
import RealModule
import Testing
@testable import Control

/// Point-mass energy model: thrust = T_max·throttle, drag = k·V², flight-path angle following the pitch setpoint
/// with a first-order lag (angle of attack taken as constant and zero). Trim: level at 16 m/s needs half throttle
/// (k·16² = 5 N = 0.5·10 N); the steady climb at full throttle and trim speed is (10 − 5)/(m·g)·16 = 4.08 m/s and
/// the sink at zero throttle the same, so the TECS feed-forward scales are set to that.
private struct PointMass {
    static let g = 9.80665, massKg = 2.0, maxThrustN = 10.0, dragK = 5.0 / 256.0, pathLagS = 0.5
    var heightM = 100.0
    var speedMps = 16.0
    var pathAngleRad = 0.0
    var speedRateMps2 = 0.0
    var heightRateMps: Double { speedMps * Double.sin(pathAngleRad) }

    mutating func step(_ out: TECSOutput, dtS: Double) {
        let thrust = Self.maxThrustN * out.throttle
        let drag = Self.dragK * speedMps * speedMps
        speedRateMps2 = (thrust - drag) / Self.massKg - Self.g * Double.sin(pathAngleRad)
        speedMps += speedRateMps2 * dtS
        heightM += heightRateMps * dtS
        pathAngleRad += (out.pitchSetpointRad - pathAngleRad) / Self.pathLagS * dtS
    }

    var input: (Double, Double) -> TECSInput {
        { hSp, vSp in
            TECSInput(heightSetpointM: hSp, airspeedSetpointMps: vSp, heightM: heightM, heightRateMps: heightRateMps,
                      airspeedMps: speedMps, airspeedRateMps2: speedRateMps2)
        }
    }
}

private let climbRate = 10.0 * 0.5 / (2 * 9.80665) * 16  // 4.079 m/s
// The energy law alone: no slew limits (TECSSmoothingTests has them).
private let tecsConfig = TECSConfig(maxClimbRateMps: climbRate, maxSinkRateMps: 3, minSinkRateMps: climbRate,
                                    maxVerticalAccelerationMps2: 0)
private let envelope = AirspeedConfig(minMps: 12, trimMps: 16, maxMps: 25)

@Suite struct TECSTests {
    @Test func trimHoldsWithTrimThrottleAndLevelPitch() {
        var tecs = TECS(config: tecsConfig, airspeed: envelope)
        var plant = PointMass()
        var out = TECSOutput(pitchSetpointRad: 0, throttle: 0)
        for _ in 0..<2000 {
            out = tecs.update(plant.input(100, 16), dtS: 0.01, inFlight: true)
            plant.step(out, dtS: 0.01)
        }
        #expect(abs(out.throttle - 0.5) < 1e-6)
        #expect(abs(out.pitchSetpointRad) < 1e-6)
        #expect(tecs.status.mode == .normal)
    }

    @Test func climbDemandRaisesThrottleAndPitchThenSettles() {
        var tecs = TECS(config: tecsConfig, airspeed: envelope)
        var plant = PointMass()
        let first = tecs.update(plant.input(130, 16), dtS: 0.01, inFlight: true)
        // 30 m error / 5 s = 6 m/s, limited to the 4.08 m/s climb: the feed-forward alone is full throttle.
        #expect(abs(tecs.status.heightRateSetpointMps - climbRate) < 1e-9)
        #expect(first.throttle == 1)
        #expect(first.pitchSetpointRad > 0.2)
        var maxSpeedError = 0.0, maxClimb = 0.0
        for _ in 0..<6000 {
            let out = tecs.update(plant.input(130, 16), dtS: 0.01, inFlight: true)
            plant.step(out, dtS: 0.01)
            maxSpeedError = max(maxSpeedError, abs(plant.speedMps - 16))
            maxClimb = max(maxClimb, plant.heightRateMps)
        }
        print("TECS climb 30 m: final height error \(plant.heightM - 130) m, max |V − 16| \(maxSpeedError) m/s, "
              + "max climb \(maxClimb) m/s")
        #expect(abs(plant.heightM - 130) < 0.5)
        #expect(abs(plant.speedMps - 16) < 0.2)
        #expect(maxSpeedError < 2)
        #expect(maxClimb < climbRate * 1.15)
    }

    @Test func speedDemandTradesThrottleNotHeight() {
        var tecs = TECS(config: tecsConfig, airspeed: envelope)
        var plant = PointMass()
        var maxHeightError = 0.0
        let first = tecs.update(plant.input(100, 20), dtS: 0.01, inFlight: true)
        #expect(first.throttle > 0.5)
        for _ in 0..<6000 {
            let out = tecs.update(plant.input(100, 20), dtS: 0.01, inFlight: true)
            plant.step(out, dtS: 0.01)
            maxHeightError = max(maxHeightError, abs(plant.heightM - 100))
        }
        print("TECS speed 16→20 m/s: final V \(plant.speedMps) m/s, max height error \(maxHeightError) m")
        #expect(abs(plant.speedMps - 20) < 0.2)
        #expect(maxHeightError < 3)
        // Level at 20 m/s needs k·400/10 = 0.78 throttle.
        #expect(abs(tecs.status.throttle - 0.78125) < 0.01)
    }

    @Test func underspeedProtectionPrioritisesSpeed() {
        var tecs = TECS(config: tecsConfig, airspeed: envelope)
        var plant = PointMass()
        plant.speedMps = 9  // below min 12 by more than the 2 m/s margin
        let out = tecs.update(plant.input(150, 16), dtS: 0.01, inFlight: true)
        #expect(tecs.status.mode == .underspeed)
        #expect(tecs.status.underspeedRatio == 1)
        #expect(out.throttle == 1)
        #expect(tecs.status.heightRateSetpointMps == 0)  // the climb demand is withdrawn
        #expect(out.pitchSetpointRad < 0)  // nose down to gain speed
        // The same state without protection (margin so large that 9 m/s is barely inside it) pitches up.
        var unprotected = tecsConfig
        unprotected.underspeedMarginMps = 20
        var plain = TECS(config: unprotected, airspeed: AirspeedConfig(minMps: 9, trimMps: 16, maxMps: 25))
        #expect(plain.update(plant.input(150, 16), dtS: 0.01, inFlight: true).pitchSetpointRad > 0.1)
        var recoveredAfterS: Double?
        for i in 0..<3000 {
            plant.step(tecs.update(plant.input(150, 16), dtS: 0.01, inFlight: true), dtS: 0.01)
            if recoveredAfterS == nil, plant.speedMps >= 12 { recoveredAfterS = Double(i) * 0.01 }
        }
        print("TECS underspeed 9 m/s: back at 12 m/s after \(recoveredAfterS ?? -1) s")
        #expect((recoveredAfterS ?? 99) < 5)
        #expect(tecs.status.mode == .normal)
    }

    @Test func integratorsFrozenOnGroundAndBoundedWhenSaturated() {
        var tecs = TECS(config: tecsConfig, airspeed: envelope)
        let stuck = TECSInput(heightSetpointM: 500, airspeedSetpointMps: 16, heightM: 0, heightRateMps: 0,
                              airspeedMps: 16, airspeedRateMps2: 0)
        for _ in 0..<5000 { _ = tecs.update(stuck, dtS: 0.01, inFlight: false) }
        #expect(tecs.status.throttleIntegrator == 0)
        #expect(tecs.status.pitchIntegratorRad == 0)
        #expect(tecs.status.mode == .onGround)
        // In flight with a climb that never happens: throttle saturates at once, so its integrator must not grow.
        for _ in 0..<50_000 { _ = tecs.update(stuck, dtS: 0.01, inFlight: true) }
        #expect(tecs.status.throttleIntegrator == 0)
        #expect(abs(tecs.status.pitchIntegratorRad) <= tecsConfig.pitchIntegratorLimitRad)
        #expect(tecs.status.pitchSetpointRad <= tecsConfig.pitchMaxRad)
    }

    @Test func badInputHoldsTheLastOutput() {
        var tecs = TECS(config: tecsConfig, airspeed: envelope)
        let good = tecs.update(TECSInput(heightSetpointM: 110, airspeedSetpointMps: 16, heightM: 100,
                                         heightRateMps: 0, airspeedMps: 16), dtS: 0.01, inFlight: true)
        let bad = tecs.update(TECSInput(heightSetpointM: 110, airspeedSetpointMps: 16, heightM: .nan,
                                        heightRateMps: 0, airspeedMps: 16), dtS: 0.01, inFlight: true)
        #expect(bad == good)
        #expect(tecs.status.mode == .badInput)
    }

    @Test func decodesTECSTableAndNamesBadKeys() throws {
        let c = try ConfigFile.decode(ControlConfig.self, fromTOML: """
            [tecs]
            max_climb_rate_mps = 3
            pitch_max_deg = 15
            throttle_trim = 0.4
            [attitude]
            roll_tc_s = 0.5
            max_roll_deg = 35
            [rates]
            pitch_rate_kp = 0.12
            """, source: "plane.toml")
        #expect(c.tecs.maxClimbRateMps == 3)
        #expect(abs(c.tecs.pitchMaxRad - Angle.radians(fromDegrees: 15)) < 1e-12)
        #expect(c.tecs.throttleTrim == 0.4)
        #expect(c.tecs.speedWeight == 1)
        #expect(c.attitude.rollTimeConstantS == 0.5)
        #expect(abs(c.attitude.maxRollRad - Angle.radians(fromDegrees: 35)) < 1e-12)
        #expect(c.rates.pitch.kp == 0.12)
        #expect(c.rates.roll == RateConfig.defaults.roll)
        #expect(throws: ConfigFileError(file: "plane.toml", problem: .invalidValue(
            keyPath: "tecs.throttle_trim", reason: "throttle_trim 0.9 must lie within throttle_min…throttle_max"))) {
            _ = try ConfigFile.decode(ControlConfig.self, fromTOML: "[tecs]\nthrottle_max = 0.8\nthrottle_trim = 0.9\n",
                                      source: "plane.toml")
        }
        #expect(throws: ConfigFileError(file: "plane.toml", problem: .invalidValue(
            keyPath: "attitude.max_roll_deg", reason: "90.0 deg is outside the accepted range 5.0…75.0 deg"))) {
            _ = try ConfigFile.decode(ControlConfig.self, fromTOML: "[attitude]\nmax_roll_deg = 90\n",
                                      source: "plane.toml")
        }
        #expect(throws: ConfigFileError(file: "plane.toml", problem: .unknownKey(keyPath: "rates.pitch_rate_p"))) {
            _ = try ConfigFile.decode(ControlConfig.self, fromTOML: "[rates]\npitch_rate_p = 0.1\n",
                                      source: "plane.toml")
        }
    }
}
