import FlightMath
import Foundation
import Mission
import Simulation
import Testing
import SITL

/// Closed-loop flights through the whole stack — drivers on register-level emulators, navigation filter, plan
/// sequencer, guidance, TECS, attitude control, mixer, PCA9685 — against the 6-DOF plant, judged on the plant's
/// truth. Each long flight runs once and several figures are asserted from it (CI runs these in a debug build).
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private func fly(_ scenario: String, durationS: Double? = nil) throws -> ClosedLoopSummary {
    let summary = try ClosedLoopRun.run(scenarioPath: "\(root)/Scenarios/\(scenario)", durationS: durationS)
    print(summary.report)
    return summary
}

/// The bounds of the closed-loop issue, judged on one ten-minute flight (5 m/s wind, moderate turbulence unless the
/// scenario says otherwise).
private func expectIssueBounds(_ s: ClosedLoopSummary, crossTrackM: Double = 3, loiterM: Double = 5,
                               altitudeM: Double = 3, airspeedMps: Double = 1, headingDeg: Double = 3) {
    let m = s.metrics
    #expect(!s.crashed)
    #expect(s.itemsCompleted == 6 && s.planComplete)
    #expect(m.crossTrackM.count > 1000 && m.crossTrackM.rms <= crossTrackM)
    #expect(m.loiterRadiusM.count > 500 && m.loiterRadiusM.rms <= loiterM)
    #expect(m.altitudeM.count > 10_000 && m.altitudeM.rms <= altitudeM)
    #expect(m.airspeedMps.rms <= airspeedMps)
    #expect(m.rollDeg.count > 20_000)
    #expect(m.rollDeg.rms <= 1 && m.pitchDeg.rms <= 1)
    #expect(m.headingDeg.rms <= headingDeg)
    #expect(m.horizontalPositionM.rms <= 3)
    #expect(m.velocityMps.rms <= 0.3)
}

@Suite struct ClosedLoopFlightTests {
    /// 2 m conventional airframe in 5 m/s wind and moderate turbulence: the demo plan (three 600 m legs, two turns
    /// of a 120 m orbit, a leg home, RTL), then holding over home until ten minutes have passed. Tracking bounds and
    /// the 10-minute estimator bounds from the same flight.
    @Test func conventionalAirframeInFiveMetreWind() throws {
        expectIssueBounds(try fly("wind/2m-wind05.toml", durationS: 600))
    }

    /// 1.4 m flying wing (elevons), same plan and weather. It cruises at 17 m/s: at its best-glide speed it could
    /// not shed the energy moderate-turbulence updrafts put in (idle sink ~1.1 m/s against σw ≈ 1.5 m/s), and flew
    /// 1.24 m/s and 3.4 m RMS there, with the throttle resting at its floor 40 % of the time.
    @Test func flyingWingInFiveMetreWind() throws {
        expectIssueBounds(try fly("wind/wing-wind05.toml", durationS: 600))
    }

    /// Still air (turbulence still moderate): the same bounds as in wind.
    @Test(arguments: ["wind/2m-wind00.toml", "wind/wing-wind00.toml"])
    func calmAir(_ scenario: String) throws {
        expectIssueBounds(try fly(scenario, durationS: 600))
    }

    /// 10 m/s wind, 59 % of the cruise airspeed: the same bounds hold.
    @Test(arguments: ["wind/2m-wind10.toml", "wind/wing-wind10.toml"])
    func tenMetreWind(_ scenario: String) throws {
        expectIssueBounds(try fly(scenario, durationS: 600))
    }

    /// Seeds of the 10 m/s wind set whose filter locked onto the mirror image of the wind (|v − w| = TAS holds for
    /// both; about 20 m/s estimated against 10 m/s from the other side) and refused the airspeed from then on:
    /// guidance circled downwind and left the geofence (seed 3 before the sideslip fusion; 25 and 91 with it). The
    /// wind reset from airspeed and heading brings the estimate back, and the plan is flown inside the fence.
    @Test(arguments: [3, 25, 91] as [UInt64])
    func tenMetreWindSeedsThatLockedOnTheMirrorWind(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/wind/2m-wind10.toml")
        let run = try SITLRun(scenario: scenario, seed: seed)
        // The wind estimate averaged over the second half (moment to moment it follows the turbulence's gusts).
        var sum = Vector3.zero, count = 0.0
        run.run(durationS: 600, everyTick: { r in
            guard r.timeS >= 300, r.vehicle.stepCount % 40 == 0 else { return }
            sum += r.stack.navigation.windNEDMps
            count += 1
        })
        #expect(run.crash == nil, "seed \(seed)")
        #expect(!run.transitions.contains { "\($0.reason)".contains("geofence") }, "seed \(seed): \(run.transitions)")
        #expect(run.stack.sequencer?.isComplete == true, "seed \(seed)")
        let wind = sum / max(count, 1)
        let truth = scenario.prepared.scenario.wind
        #expect(abs(wind.x - truth.northMps) < 1.5 && abs(wind.y - truth.eastMps) < 1.5, "seed \(seed): wind \(wind)")
    }

    /// The magnetometer fused for heading (the simulated one, hard iron calibrated): the heading bound from the
    /// start of the flight rather than after the turns that make it observable without one, and the magnetometer
    /// reported healthy with its innovations passing the gate.
    @Test func conventionalAirframeWithMagnetometer() throws {
        var scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/wind/2m-wind05.toml")
        try scenario.parameters.set("EKF_USE_MAG", to: 1)
        let run = try SITLRun(scenario: scenario)
        var metrics = FlightMetrics()
        metrics.estimatorSettleS = 5
        var magHealthyTicks = 0, ticks = 0
        run.run(durationS: 600, everyTick: { r in
            guard r.vehicle.stepCount % 8 == 0 else { return }
            let output = r.host.output
            metrics.record(vehicle: r.vehicle, output: output)
            if output.inFlight {
                ticks += 1
                if output.health?.mag.condition == .healthy { magHealthyTicks += 1 }
            }
        })
        print("with magnetometer: heading RMS \(metrics.headingDeg.rms)° from 5 s after launch, mag healthy "
              + "\(magHealthyTicks)/\(ticks)")
        #expect(run.vehicle.firstTouchdown == nil)
        #expect(run.stack.filter.health.attitudeValid)
        #expect(metrics.headingDeg.count > 20_000 && metrics.headingDeg.rms <= 3)
        #expect(metrics.rollDeg.rms <= 1 && metrics.pitchDeg.rms <= 1)
        #expect(ticks > 25_000 && Double(magHealthyTicks) >= 0.99 * Double(ticks))
        #expect(run.stack.filter.health.mag.condition == .healthy)
    }

    /// Lockstep on simulated time: the same seed flies the same trajectory bit for bit; another seed does not.
    @Test func runsAreDeterministicForASeed() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/wind/2m-wind05.toml")
        func finalState(seed: UInt64) throws -> (RigidBodyState, FlightMode) {
            let run = try SITLRun(scenario: scenario, seed: seed)
            run.run(durationS: 40)
            return (run.vehicle.state, run.stack.mode)
        }
        let a = try finalState(seed: 7), b = try finalState(seed: 7), c = try finalState(seed: 8)
        #expect(a.1 == .launch || a.1 == .mission)
        #expect(a.0 == b.0)
        #expect(a.0 != c.0)
    }
}

@Suite struct ClosedLoopSetupTests {
    /// The launch is the catapult's: the vehicle sits still until launch_time_s, the autopilot arms on the rail
    /// and detects the launch from the accelerometer within the stroke.
    @Test func armsOnTheRailAndDetectsTheCatapultLaunch() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/wind/wing-wind00.toml")
        let run = try SITLRun(scenario: scenario)
        run.run(durationS: scenario.mission.launchTimeS - 0.1)
        #expect(run.stack.mode == .standby)
        #expect(run.stack.outputsLive)
        #expect(run.vehicle.state.velocityNEDMps.norm == 0)
        run.run(durationS: 0.4)
        #expect(run.stack.mode == .launch)
        let detected = try #require(run.stack.launchDetector.launchedAtUs)
        let launchUs = UInt64(scenario.mission.launchTimeS * 1e6)
        #expect(detected > launchUs && detected < launchUs + 300_000)
    }

    /// The safety switch to SAFE on the rail disarms the vehicle; back to ARM, the outputs carry pulses only once the
    /// mode machine has armed again, never while it is disarmed (the output gate follows the machine's arming).
    @Test func outputsAreNeverLiveWhileTheMachineIsDisarmed() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/wind/wing-wind00.toml")
        let run = try SITLRun(scenario: scenario)
        run.run(durationS: 3)
        let output = run.host.output  // a local: inside #expect this 2.8 kB temporary was misread (see TickOutput)
        #expect(output.mode == .standby)
        run.emulation.safetySwitch.schedule(.init(atUs: 3_512_500, isActive: false))
        run.emulation.safetySwitch.schedule(.init(atUs: 4_263_700, isActive: true))
        var disarmedTicks = 0, liveWhileDisarmed = 0
        for _ in 0..<800 {
            run.step()
            let output = run.host.output
            if !output.armed { disarmedTicks += 1 }
            if output.outputsLive, !output.armed { liveWhileDisarmed += 1 }
        }
        #expect(disarmedTicks > 0)
        #expect(liveWhileDisarmed == 0)
        let output2 = run.host.output
        #expect(output2.mode == .standby && output2.outputsLive)
    }

    @Test func scenarioWithoutMissionIsNotClosedLoop() {
        #expect(throws: ClosedLoopScenarioError.self) {
            _ = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/demo-open-loop.toml")
        }
    }
}
