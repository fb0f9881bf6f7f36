import ConfigFiles
import FlightMath
import Foundation
import RealModule
import Testing
@testable import Simulation

/// The IMU's installation and environment: mounting rotation, cross-axis coupling, g-sensitivity, lever arm,
/// self-heating and the rotor's vibration. Each test switches the other effects off so only its own shows.
@Suite struct IMURealismTests {
    /// The shipped IMU section with every installation effect and all noise off.
    static func cleanSection() throws -> IMUSensorSection {
        var s = try Fixture.airframe().sensors.imu
        s.accelNoiseDensityMps2PerRtHz = 0; s.gyroNoiseDensityRadpsPerRtHz = 0
        s.accelBiasInstabilityMps2 = 0; s.gyroBiasInstabilityRadps = 0
        s.accelRandomWalkMps3PerRtHz = 0; s.gyroRandomWalkRadps2PerRtHz = 0
        s.accelTurnOnBiasMps2 = 0; s.gyroTurnOnBiasRadps = 0
        s.accelScaleFactorError = 0; s.gyroScaleFactorError = 0
        s.accelBiasPerDegCMps2 = 0; s.gyroBiasPerDegCRadps = 0
        s.misalignmentSigmaDeg = 0; s.accelCrossAxisSigma = 0; s.gyroCrossAxisSigma = 0
        s.gyroGSensitivityDpsPerG = 0; s.leverArmFRDM = [0, 0, 0]; s.vibration = nil
        return s
    }

    static func truth(_ timeUs: UInt64, force: Vector3 = Vector3(0, 0, -WGS84.standardGravityMps2),
                      rate: Vector3 = .zero, rotor: Double = 0) -> SensorTruth {
        SensorTruth(timeUs: timeUs, positionNEDM: .zero, velocityNEDMps: .zero, attitude: .identity,
                    bodyRateFRDRadps: rate, specificForceFRDMps2: force, airVelocityFRDMps: .zero,
                    air: StandardAtmosphere.air(altitudeM: 0), rotorSpeedFraction: rotor)
    }

    static func firstSample(_ section: IMUSensorSection, seed: UInt64, _ truth: SensorTruth) throws -> IMUSample {
        var m = IMUSensorModel(section: section, seed: seed)
        let sample = m.sample(truth)
        return try #require(sample)
    }

    /// A level board at rest reads gravity tilted by its mounting error: over 200 seeds the tilt's spread is
    /// the configured σ, and without the error there is none.
    @Test func mountingErrorTiltsGravityByTheConfiguredSigma() throws {
        var s = try Self.cleanSection()
        s.misalignmentSigmaDeg = 0.5
        var sumSq = 0.0
        let seeds: ClosedRange<UInt64> = 1...200
        for seed in seeds {
            let a = try Self.firstSample(s, seed: seed, Self.truth(0)).accelFRDMps2
            let rollDeg = Angle.degrees(fromRadians: Double.atan2(y: -a.y, x: -a.z))
            sumSq += rollDeg * rollDeg
            #expect(abs(a.norm - WGS84.standardGravityMps2) < 1e-9, "a rotation keeps the magnitude")
        }
        let sigma = (sumSq / Double(seeds.count)).squareRoot()
        #expect(abs(sigma - 0.5) < 0.08, "roll tilt σ \(sigma)° over \(seeds.count) seeds")
        s.misalignmentSigmaDeg = 0
        let level = try Self.firstSample(s, seed: 7, Self.truth(0)).accelFRDMps2
        #expect(abs(level.x) < 1e-12 && abs(level.y) < 1e-12)
    }

    /// Cross-axis coupling leaks one axis into the others by the drawn terms: a force along z alone shows on x
    /// and y with a spread of the configured σ.
    @Test func crossAxisCouplingLeaksGravityIntoTheOtherAxes() throws {
        var s = try Self.cleanSection()
        s.accelCrossAxisSigma = 0.01
        var sumSq = 0.0, n = 0.0
        for seed: UInt64 in 1...200 {
            let a = try Self.firstSample(s, seed: seed, Self.truth(0)).accelFRDMps2
            for leak in [a.x, a.y] { sumSq += (leak / WGS84.standardGravityMps2) * (leak / WGS84.standardGravityMps2); n += 1 }
        }
        let sigma = (sumSq / n).squareRoot()
        #expect(abs(sigma - 0.01) < 0.0015, "cross-axis σ \(sigma)")
    }

    /// The gyro reads a rate under linear acceleration alone: 1 g gives the drawn sensitivity, whose spread over
    /// seeds is the datasheet's 0.1 °/s/g.
    @Test func gyroSensitivityToAcceleration() throws {
        var s = try Self.cleanSection()
        s.gyroGSensitivityDpsPerG = 0.1
        var sumSq = 0.0
        for seed: UInt64 in 1...200 {
            let g = WGS84.standardGravityMps2
            let up = try Self.firstSample(s, seed: seed, Self.truth(0, force: Vector3(g, g, g))).gyroFRDRadps
            let none = try Self.firstSample(s, seed: seed, Self.truth(0, force: .zero)).gyroFRDRadps
            let d = Angle.degrees(fromRadians: up.x - none.x)
            sumSq += d * d
        }
        let sigma = (sumSq / 200).squareRoot()
        #expect(abs(sigma - 0.1) < 0.015, "g-sensitivity σ \(sigma) °/s/g")
    }

    /// A board ahead of the CG in a steady yaw feels the centripetal acceleration −ω²·r towards the axis, and
    /// under a yaw acceleration the tangential ω̇·r sideways.
    @Test func leverArmAddsCentripetalAndTangentialAcceleration() throws {
        var s = try Self.cleanSection()
        s.leverArmFRDM = [0.2, 0, 0]
        var m = IMUSensorModel(section: s, seed: 1)
        let w = 2.0  // rad/s
        _ = m.sample(Self.truth(0, force: .zero, rate: Vector3(0, 0, w)))
        let steadySample = m.sample(Self.truth(2500, force: .zero, rate: Vector3(0, 0, w)))
        let steady = try #require(steadySample)
        #expect(abs(steady.accelFRDMps2.x - (-w * w * 0.2)) < 1e-9, "\(steady.accelFRDMps2)")
        #expect(abs(steady.accelFRDMps2.y) < 1e-9)
        // ω̇ = 4 rad/s² about z over the next sample: tangential acceleration +ω̇·r along y (right).
        let spinUpSample = m.sample(Self.truth(5000, force: .zero, rate: Vector3(0, 0, w + 4 * 0.0025)))
        let spinUp = try #require(spinUpSample)
        #expect(abs(spinUp.accelFRDMps2.y - 4 * 0.2) < 1e-9, "\(spinUp.accelFRDMps2)")
        s.leverArmFRDM = [0, 0, 0]
        var atCG = IMUSensorModel(section: s, seed: 1)
        _ = atCG.sample(Self.truth(0, force: .zero, rate: Vector3(0, 0, w)))
        let atCGSample = atCG.sample(Self.truth(2500, force: .zero, rate: Vector3(0, 0, w)))
        #expect(try #require(atCGSample).accelFRDMps2.norm < 1e-12)
    }

    /// The die starts at the air's temperature and warms towards the offset: 63 % after one time constant, so the
    /// thermal bias drifts through the first minutes instead of being constant from power-on.
    @Test func dieWarmsUpWithItsTimeConstant() throws {
        var s = try Self.cleanSection()
        s.temperatureOffsetC = 10
        s.warmupTimeConstantS = 180
        let m = IMUSensorModel(section: s, seed: 1)
        #expect(m.dieTemperatureC(airC: 15, timeUs: 0) == 15)
        #expect(abs(m.dieTemperatureC(airC: 15, timeUs: 180_000_000) - (15 + 10 * (1 - Double.exp(-1)))) < 1e-9)
        #expect(abs(m.dieTemperatureC(airC: 15, timeUs: 3_600_000_000) - 25) < 1e-6)
        s.warmupTimeConstantS = 0
        #expect(IMUSensorModel(section: s, seed: 1).dieTemperatureC(airC: 15, timeUs: 0) == 25)
    }

    /// The rotor's tones: frequency from the speed, amplitude with its square, a phase that runs on without a
    /// jump when the speed changes, and silence with the motor stopped.
    @Test func vibrationFollowsTheRotorSpeed() throws {
        let section = try #require(try Fixture.airframe().sensors.imu.vibration)
        var m = IMUVibrationModel(section: section, random: RandomSource(seed: 1))
        let (full, _) = m.sample(atUs: 0, speedFraction: 1)
        #expect(abs(full.oncePerRev.frequencyHz - section.rotorRPMAtFull / 60) < 1e-9)
        #expect(abs(full.bladePass.frequencyHz - section.rotorRPMAtFull / 60 * Double(section.blades)) < 1e-9)
        let (half, _) = m.sample(atUs: 1000, speedFraction: 0.5)
        #expect(abs(half.oncePerRev.accelAmplitudeFRDMps2.z - section.accelOncePerRevMps2[2] / 4) < 1e-12)
        // The phase advanced by 2π·f·dt at the new speed.
        let expected = (full.oncePerRev.phaseRad + 2 * Double.pi * half.oncePerRev.frequencyHz * 0.001)
            .truncatingRemainder(dividingBy: 2 * Double.pi)
        #expect(abs(half.oncePerRev.phaseRad - expected) < 1e-9)
        let (stopped, broadband) = m.sample(atUs: 2000, speedFraction: 0)
        #expect(stopped.oncePerRev.accelAmplitudeFRDMps2 == .zero && broadband == .zero)
    }

    /// The installation draws come from their own random streams: switching them on changes no noise or bias
    /// draw of the accelerometer and gyro (so earlier figures of a seed stay comparable).
    @Test func installationDrawsLeaveTheOtherStreamsAlone() throws {
        var plain = try Fixture.airframe().sensors.imu
        plain.misalignmentSigmaDeg = 0; plain.accelCrossAxisSigma = 0; plain.gyroCrossAxisSigma = 0
        plain.gyroGSensitivityDpsPerG = 0
        let installed = try Fixture.airframe().sensors.imu
        for seed: UInt64 in 1...5 {
            let a = IMUSensorModel(section: plain, seed: seed), b = IMUSensorModel(section: installed, seed: seed)
            #expect(a.accel.turnOnBias == b.accel.turnOnBias && a.gyro.scaleFactorError == b.gyro.scaleFactorError)
        }
    }

    @Test(arguments: [
        ("misalignment_sigma_deg = 0.5", "misalignment_sigma_deg = 9.0", "sensors.imu.misalignment_sigma_deg"),
        ("lever_arm_frd_m = [0.08, 0.0, -0.02]", "lever_arm_frd_m = [0.08, 0.0]", "sensors.imu.lever_arm_frd_m"),
        ("lever_arm_frd_m = [0.08, 0.0, -0.02]", "lever_arm_frd_m = [3.0, 0.0, 0.0]", "sensors.imu.lever_arm_frd_m[0]"),
        ("blades = 2", "blades = 0", "sensors.imu.vibration.blades"),
        ("accel_once_per_rev_mps2 = [0.8, 1.2, 2.0]", "accel_once_per_rev_mps2 = [0.8, -1.2, 2.0]",
         "sensors.imu.vibration.accel_once_per_rev_mps2[1]"),
        ("rotor_rpm_at_full = 9000.0", "rotor_rpm_at_full = 0.0", "sensors.imu.vibration.rotor_rpm_at_full"),
        ("gyro_g_sensitivity_dps_per_g = 0.1", "gyro_g_sensitivity_dps_per_g = -0.1",
         "sensors.imu.gyro_g_sensitivity_dps_per_g"),
    ])
    func badInstallationValueNamesItsKey(original: String, replacement: String, key: String) throws {
        let text = try String(contentsOfFile: Fixture.airframePath("kestrel-2m"), encoding: .utf8)
        #expect(text.contains(original))
        do {
            _ = try AirframeFile.decode(fromTOML: text.replacingOccurrences(of: original, with: replacement),
                                        source: "bad.toml")
            Issue.record("\(replacement) was accepted")
        } catch {
            guard case .invalidValue(let keyPath, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(keyPath == key)
        }
    }

    /// An airframe file written before these keys existed still loads, with the datasheet defaults and no
    /// vibration.
    @Test func olderAirframeFileLoadsWithDefaults() throws {
        var text = try String(contentsOfFile: Fixture.airframePath("kestrel-2m"), encoding: .utf8)
        let start = try #require(text.range(of: "# Board mounting and the chip's own axes"))
        let end = try #require(text.range(of: "[sensors.baro]"))
        text.removeSubrange(start.lowerBound..<end.lowerBound)
        let imu = try AirframeFile.decode(fromTOML: text, source: "old.toml").sensors.imu
        #expect(imu.misalignmentSigmaDeg == IMUSensorSection.defaultMisalignmentSigmaDeg)
        #expect(imu.gyroGSensitivityDpsPerG == 0.1 && imu.leverArmFRDM == [0, 0, 0] && imu.vibration == nil)
    }
}
