import FlightMath
import RealModule
import Testing
@testable import Simulation

/// Sensor error statistics against the configured parameters, on an airframe resting on the ground (known truth).
@Suite struct SensorModelTests {
    static func restingVehicle(_ airframe: AirframeFile, seed: UInt64 = 3,
                               outages: [GPSOutage] = []) throws -> SimulatedVehicle {
        try SimulatedVehicle(airframe: airframe, origin: Fixture.origin,
                             launch: LaunchSection(speedMps: 0, climbAngleDeg: 0, headingDeg: 0, heightM: 0),
                             wind: Fixture.calmWind(), seed: seed, gpsOutages: outages)
    }

    struct Stats {
        var n = 0.0, sum = Vector3.zero, sumSq = Vector3.zero
        mutating func add(_ v: Vector3) { n += 1; sum += v; sumSq += v.scaled(by: v) }
        var mean: Vector3 { sum / n }
        var std: Vector3 {
            let m = mean
            return Vector3((sumSq.x / n - m.x * m.x).squareRoot(), (sumSq.y / n - m.y * m.y).squareRoot(),
                           (sumSq.z / n - m.z * m.z).squareRoot())
        }
    }

    /// White noise per sample = density·√rate; the slow bias terms are switched off so only the white noise shows.
    @Test func imuNoiseMatchesConfiguredDensity() throws {
        var airframe = try Fixture.airframe()
        airframe.sensors.imu.accelBiasInstabilityMps2 = 0
        airframe.sensors.imu.accelRandomWalkMps3PerRtHz = 0
        airframe.sensors.imu.gyroBiasInstabilityRadps = 0
        airframe.sensors.imu.gyroRandomWalkRadps2PerRtHz = 0
        // The installation effects (IMURealismTests) too: the die at its final temperature, the axes true.
        airframe.sensors.imu.warmupTimeConstantS = 0
        airframe.sensors.imu.misalignmentSigmaDeg = 0
        airframe.sensors.imu.accelCrossAxisSigma = 0
        airframe.sensors.imu.gyroCrossAxisSigma = 0
        airframe.sensors.imu.gyroGSensitivityDpsPerG = 0
        var v = try Self.restingVehicle(airframe)
        var accel = Stats(), gyro = Stats()
        var count = 0
        while count < 20_000 {
            if v.step(controls: PlantControls()).contains(.imu), let s = v.readings.imu {
                accel.add(s.accelFRDMps2); gyro.add(s.gyroFRDRadps); count += 1
            }
        }
        let imu = airframe.sensors.imu
        let accelSigma = imu.accelNoiseDensityMps2PerRtHz * imu.rateHz.squareRoot()
        let gyroSigma = imu.gyroNoiseDensityRadpsPerRtHz * imu.rateHz.squareRoot()
        for i in 0..<3 {
            #expect(abs(accel.std[i] - accelSigma) / accelSigma < 0.05, "accel σ[\(i)] \(accel.std[i]) vs \(accelSigma)")
            #expect(abs(gyro.std[i] - gyroSigma) / gyroSigma < 0.05, "gyro σ[\(i)] \(gyro.std[i]) vs \(gyroSigma)")
        }
        // At rest the accelerometer reads −g on z (within scale factor, turn-on bias and thermal bias, 4σ),
        // and the gyro reads its bias.
        let dieC = StandardAtmosphere.air(altitudeM: Fixture.origin.altitudeM).temperatureC + imu.temperatureOffsetC
        let accelBiasBound = 4 * (imu.accelTurnOnBiasMps2 + imu.accelBiasPerDegCMps2 * abs(dieC - 25)
                                  + imu.accelScaleFactorError * WGS84.standardGravityMps2)
        #expect(abs(accel.mean.z + WGS84.standardGravityMps2) < accelBiasBound)
        #expect(abs(accel.mean.x) < accelBiasBound)
        let gyroBias = v.sensors.imu.gyro.totalBias + v.sensors.imu.gyro.biasPerDegC * (dieC - 25)
        #expect((gyro.mean - gyroBias).norm < 4 * gyroSigma / Double(count).squareRoot() * 3.0.squareRoot())
    }

    /// Bias instability: a Gauss–Markov process whose spread over many seeds is the configured instability.
    @Test func gyroBiasInstabilityHasConfiguredSpread() throws {
        let airframe = try Fixture.airframe()
        var sumSq = 0.0, n = 0.0
        for seed in 0..<400 {
            let imu = IMUSensorModel(section: airframe.sensors.imu, seed: UInt64(seed))
            let b = imu.gyro.instabilityBias
            sumSq += b.squaredNorm; n += 3
        }
        let sigma = (sumSq / n).squareRoot()
        let configured = airframe.sensors.imu.gyroBiasInstabilityRadps
        #expect(abs(sigma - configured) / configured < 0.1)
    }

    @Test func baroNoiseAndPressure() throws {
        let airframe = try Fixture.airframe()
        var v = try Self.restingVehicle(airframe)
        var stats = Stats()
        var first: Double?
        while stats.n < 3000 {
            if v.step(controls: PlantControls()).contains(.baro), let s = v.readings.baro {
                // Remove the configured linear drift so only noise and offset remain.
                let p = s.pressurePa - airframe.sensors.baro.driftPaPerS * Double(s.timestampUs) * 1e-6
                first = first ?? p
                stats.add(Vector3(p, 0, 0))
            }
        }
        let truth = StandardAtmosphere.air(altitudeM: Fixture.origin.altitudeM + airframe.groundContact.restingHeightM)
        #expect(abs(stats.std.x - airframe.sensors.baro.noisePa) / airframe.sensors.baro.noisePa < 0.06)
        #expect(abs(stats.mean.x - truth.pressurePa - v.sensors.baro.offsetPa) < 0.2)
        #expect(abs(v.sensors.baro.offsetPa) < 4 * airframe.sensors.baro.offsetSigmaPa)
        // 50 Hz for 60 s.
        #expect(abs(v.timeS - 60) < 0.05)
    }

    /// The earth field is seen through the attitude (heading 0: body = NED) plus the hard-iron offset.
    @Test func magnetometerSeesEarthFieldPlusHardIron() throws {
        let airframe = try Fixture.airframe()
        var v = try Self.restingVehicle(airframe)
        var stats = Stats()
        while stats.n < 2000 {
            if v.step(controls: PlantControls()).contains(.mag), let s = v.readings.mag { stats.add(s.fieldFRDGauss) }
        }
        let m = airframe.sensors.mag
        let i = Angle.radians(fromDegrees: m.inclinationDeg), d = Angle.radians(fromDegrees: m.declinationDeg)
        let expected = Vector3(m.fieldStrengthGauss * Double.cos(i) * Double.cos(d) + m.hardIronFRDGauss[0],
                               m.fieldStrengthGauss * Double.cos(i) * Double.sin(d) + m.hardIronFRDGauss[1],
                               m.fieldStrengthGauss * Double.sin(i) + m.hardIronFRDGauss[2])
        #expect((stats.mean - expected).norm < 4 * m.noiseGauss / stats.n.squareRoot() * 3)
        #expect(abs(stats.std.y - m.noiseGauss) / m.noiseGauss < 0.08)
    }

    /// Pitot: dynamic pressure ½ρV² of the flow along the probe plus offset.
    @Test func airspeedSensorReadsDynamicPressure() throws {
        let airframe = try Fixture.airframe()
        let trim = try #require(TrimSolver(airframe: airframe)?.powered(airspeedMps: 17))
        var v = try Fixture.trimmedVehicle(airframe, trim: trim, heightM: 100)
        var stats = Stats()
        var expected = Stats()
        let controls = Fixture.controls(v, trim: trim)
        while stats.n < 500 {
            if v.step(controls: controls).contains(.airspeed), let s = v.readings.airspeed {
                stats.add(Vector3(s.differentialPressurePa, 0, 0))
                let air = StandardAtmosphere.air(altitudeM: Fixture.origin.altitudeM + v.truth.heightM)
                let u = v.truth.air.airspeedMps * Double.cos(v.truth.air.alphaRad) * Double.cos(v.truth.air.betaRad)
                expected.add(Vector3(0.5 * air.densityKgpm3 * u * u + airframe.sensors.airspeed.offsetPa, 0, 0))
            }
        }
        #expect(abs(stats.mean.x - expected.mean.x) < 4 * airframe.sensors.airspeed.noisePa / stats.n.squareRoot())
    }

    /// GPS: solutions at the configured rate, stamped with their validity time and delivered `latency_s` later,
    /// position noise of the configured size, and no fix inside an outage window.
    @Test func gpsLatencyNoiseAndOutage() throws {
        let airframe = try Fixture.airframe()
        let gps = airframe.sensors.gps
        var v = try Self.restingVehicle(airframe, outages: [GPSOutage(startS: 100, durationS: 10)])
        let truth = v.frame.geodetic(ofNED: v.state.positionNEDM)
        var fixes = 0, noFix = 0
        var errors = Stats()
        for _ in 0..<(400 * 2000) {
            guard v.step(controls: PlantControls()).contains(.gps), let f = v.readings.gps else { continue }
            #expect(v.timeUs - f.timestampUs == UInt64((gps.latencyS * 1e6).rounded()))
            let t = Double(f.timestampUs) * 1e-6
            if t >= 100 && t < 110 {
                #expect(f.fixType == .none)
                noFix += 1
            } else {
                #expect(f.fixType == .fix3D)
                let ned = v.frame.ned(of: f.position) - v.frame.ned(of: truth)
                errors.add(ned)
                fixes += 1
            }
        }
        #expect(noFix == Int(10 * gps.rateHz))
        // Epochs from the first step (2.5 ms) on, every 1/rate, delivered if their latency elapsed within 2000 s.
        #expect(fixes + noFix == Int(((2000 - gps.latencyS - 0.0025) * gps.rateHz).rounded(.down)) + 1)
        // Correlated errors over 2000 s ≈ 33 correlation times: the spread is within 30 % of the configured σ.
        #expect(abs(errors.std.x - gps.horizontalSigmaM) / gps.horizontalSigmaM < 0.3)
        #expect(abs(errors.std.z - gps.verticalSigmaM) / gps.verticalSigmaM < 0.3)
    }
}
