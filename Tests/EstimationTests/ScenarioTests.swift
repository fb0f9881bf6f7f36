import Estimation
import FlightMath
import Testing

/// Faults and hard starts, each a closed simulated flight with the standard trajectory.
@Suite struct ScenarioTests {
    @Test func headingConvergesWithoutMagnetometerFromGPSCourseAndTurns() {
        var run = FlightRun()
        run.faults.magAbsent = true
        // Fly away from north so that "heading zero" at alignment is badly wrong (135° off).
        run.trajectory.initialHeadingRad = Angle.radians(fromDegrees: 135)
        run.durationS = 200
        run.evaluateFromS = 110
        var headingErrorBeforeLaunchDeg = 0.0
        var attitudeValidOnGround = true
        let (errors, filter) = run.run { step, filter in
            if abs(step.timeS - 15) < 1e-9 {
                let s = filter.state
                headingErrorBeforeLaunchDeg = abs(Angle.degrees(fromRadians: Angle.wrapPi(
                    s.euler.yawRad - step.truthEuler.yawRad)))
                attitudeValidOnGround = filter.health.attitudeValid
            }
        }
        print("no magnetometer:", errors.summary)
        #expect(headingErrorBeforeLaunchDeg > 90)
        // Without heading the filter must not claim a valid attitude.
        #expect(!attitudeValidOnGround)
        #expect(errors.headingDeg.rms <= 3.0)
        #expect(errors.rollDeg.rms <= 1.0)
        #expect(errors.horizontalPositionM.rms <= 3.0)
        #expect(filter.health.attitudeValid)
        #expect(filter.health.mag.condition == .failed)
    }

    @Test func headingConvergesAfterADisturbedMagnetometerAlignment() {
        // A steel launcher bends the field by ~25° while the vehicle aligns; in flight the field is clean.
        var run = FlightRun()
        run.faults.magDisturbance = (window: 0...20.3, fieldFRDGauss: Vector3(0, 0.09, 0))
        run.durationS = 200
        run.evaluateFromS = 120
        var initialErrorDeg = 0.0
        let (errors, _) = run.run { step, filter in
            if abs(step.timeS - 10) < 1e-9 {
                initialErrorDeg = abs(Angle.degrees(fromRadians: Angle.wrapPi(
                    filter.state.euler.yawRad - step.truthEuler.yawRad)))
            }
        }
        print("disturbed alignment: initial heading error \(initialErrorDeg)°,", errors.summary)
        #expect(initialErrorDeg > 15)
        #expect(errors.headingDeg.rms <= 3.0)
    }

    @Test func estimatesAnInjectedGyroBias() {
        var run = FlightRun()
        // 1.1 °/s and 0.6 °/s: far more than the alignment average leaves, and growing by the bias walk.
        run.model.gyroTurnOnBiasRadps = Vector3(0.02, -0.01, 0.015)
        run.durationS = 240
        run.evaluateFromS = 100
        var worstLateBiasErrorRadps = 0.0
        let (errors, filter) = run.run { step, filter in
            guard step.timeS >= 150 else { return }
            let e = filter.state.gyroBiasFRDRadps - step.truthGyroBiasRadps
            worstLateBiasErrorRadps = max(worstLateBiasErrorRadps, abs(e.x), abs(e.y), abs(e.z))
        }
        let estimate = filter.state.gyroBiasFRDRadps
        print("gyro bias: estimate \(estimate), worst error after 150 s \(worstLateBiasErrorRadps) rad/s;",
              errors.summary)
        // 0.002 rad/s ≈ 0.11 °/s: a tenth of the injected bias.
        #expect(worstLateBiasErrorRadps < 0.002)
        #expect(abs(estimate.x - 0.02) < 0.003)
        #expect(abs(estimate.z - 0.015) < 0.003)
        #expect(errors.rollDeg.rms <= 1.0)
    }

    @Test func estimatesTheWindFromAirspeed() {
        var run = FlightRun()
        run.durationS = 240
        let (_, filter) = run.run()
        let w = filter.state.windNEDMps
        print("wind estimate \(w), truth \(run.trajectory.windNEDMps)")
        #expect(abs(w.x - run.trajectory.windNEDMps.x) < 0.7)
        #expect(abs(w.y - run.trajectory.windNEDMps.y) < 0.7)
    }

    @Test func tenSecondGPSOutageStaysBoundedIsReportedAndRecovers() {
        var run = FlightRun()
        let outage = 120.0...130.0
        run.faults.gpsOutage = outage
        run.durationS = 170
        run.evaluateFromS = 145
        var worstDuringOutageM = 0.0
        var conditionsDuring = Set<SensorCondition>()
        var conditionAfterRecovery = SensorCondition.failed
        var healthyAfterRecovery = false
        let (errors, filter) = run.run { step, filter in
            let s = filter.state
            if step.timeS > outage.lowerBound, step.timeS < outage.upperBound + 1 {
                let p = s.geodetic.map { SensorSimulator(seed: 0).frame.ned(of: $0) } ?? .zero
                let d = p - step.truthPositionNEDM
                worstDuringOutageM = max(worstDuringOutageM, (d.x * d.x + d.y * d.y).squareRoot())
            }
            // Fixes measured at 120 s arrive at 120.15 s; one second of silence later the GPS is failed.
            if step.timeS > outage.lowerBound + 1.5, step.timeS < outage.upperBound {
                conditionsDuring.insert(filter.health.gps.condition)
            }
            if abs(step.timeS - (outage.upperBound + 5)) < 1e-9 {
                conditionAfterRecovery = filter.health.gps.condition
                healthyAfterRecovery = filter.health.isHealthy
            }
        }
        print("GPS outage: worst horizontal error during outage \(worstDuringOutageM) m; after:", errors.summary)
        #expect(conditionsDuring == [.failed])
        #expect(worstDuringOutageM < 10)
        #expect(worstDuringOutageM > 0)
        #expect(conditionAfterRecovery == .healthy)
        #expect(healthyAfterRecovery)
        #expect(errors.horizontalPositionM.rms <= 3.0)
        #expect(filter.health.gps.condition == .healthy)
    }

    @Test func fiftyMetreGPSGlitchIsRejectedAndFlagged() {
        var run = FlightRun()
        let glitch = 150.0...153.0
        run.faults.gpsGlitch = (window: glitch, offsetNEDM: Vector3(35, 35, 0))
        run.durationS = 200
        run.evaluateFromS = 140
        var sawBadCondition = false
        var worstRatio = 0.0
        var rejectedBefore = 0
        let (errors, filter) = run.run { step, filter in
            let h = filter.health
            if abs(step.timeS - 149) < 1e-9 { rejectedBefore = h.gps.rejectedCount }
            if step.timeS > glitch.lowerBound, step.timeS < glitch.upperBound + 1 {
                worstRatio = max(worstRatio, h.gps.innovation.testRatio)
                if h.gps.condition != .healthy { sawBadCondition = true }
            }
        }
        let h = filter.health
        print("GPS glitch: worst test ratio \(worstRatio), rejected \(h.gps.rejectedCount - rejectedBefore);",
              errors.summary)
        #expect(sawBadCondition)
        #expect(worstRatio > 10)
        // 16 fixes fall in the 3 s window: all rejected, none fused, no reset onto the glitch.
        #expect(h.gps.rejectedCount - rejectedBefore >= 15)
        #expect(h.gpsResetCount == 0)
        #expect(errors.horizontalPositionM.maximum < 3.0)
        #expect(h.gps.condition == .healthy)
    }

    @Test func gpsThatStaysOffsetIsEventuallyBelievedByReset() {
        // A jump that does not go away (e.g. the receiver switched datum or the filter drifted): after
        // gps_reset_after_rejected_s the filter resets onto the GPS rather than refusing it forever.
        var run = FlightRun()
        run.faults.gpsGlitch = (window: 150.0...1000.0, offsetNEDM: Vector3(35, 35, 0))
        run.durationS = 175
        run.evaluateFromS = 170
        let (_, filter) = run.run()
        let h = filter.health
        #expect(h.gpsResetCount >= 1)
        #expect(h.gps.condition == .healthy)
        #expect(h.positionValid)
    }

    @Test func latencyCompensationBeatsFusingOnArrival() {
        var good = FlightRun()
        good.durationS = 200
        good.model.gpsLatencyS = 0.2
        var bad = good
        bad.faults.gpsStampedAtArrival = true
        let (goodErrors, _) = good.run()
        let (badErrors, _) = bad.run()
        print("latency 200 ms, stamped at measurement:", goodErrors.summary)
        print("latency 200 ms, stamped at arrival:", badErrors.summary)
        // At 20 m/s a 200 ms stamp error is a 4 m position error along track.
        #expect(goodErrors.horizontalPositionM.rms < 0.5 * badErrors.horizontalPositionM.rms)
        #expect(goodErrors.horizontalPositionM.rms <= 3.0)
    }

    @Test func nonFiniteInputIsRejectedWithoutCorruptingTheState() {
        var run = FlightRun()
        run.durationS = 150
        run.evaluateFromS = 60
        var dispositions: [MeasurementDisposition] = []
        let nan = Double.nan, inf = Double.infinity
        let (errors, filter) = run.run { step, filter in
            guard Int((step.timeS * 400).rounded()) % 400 == 0, step.timeS > 30 else { return }
            let us = UInt64((step.timeS * 1e6).rounded())
            dispositions.append(filter.predict(imu: IMUSample(
                timestampUs: us + 100, accelFRDMps2: Vector3(nan, 0, -9.8), gyroFRDRadps: .zero, temperatureC: 20)))
            dispositions.append(filter.predict(imu: IMUSample(
                timestampUs: us + 200, accelFRDMps2: Vector3(0, 0, -9.8), gyroFRDRadps: Vector3(0, inf, 0),
                temperatureC: 20)))
            dispositions.append(filter.fuse(gps: GPSFix(
                timestampUs: us - 100_000, fixType: .fix3D,
                position: Geodetic(latitudeRad: nan, longitudeRad: 0.1, altitudeM: 500),
                velocityNEDMps: .zero, horizontalAccuracyM: 1, verticalAccuracyM: 1, speedAccuracyMps: 0.1,
                satellitesUsed: 12)))
            dispositions.append(filter.fuse(gps: GPSFix(
                timestampUs: us - 100_000, fixType: .fix3D, position: run.trajectoryOrigin,
                velocityNEDMps: Vector3(0, inf, 0), horizontalAccuracyM: 1, verticalAccuracyM: 1,
                speedAccuracyMps: 0.1, satellitesUsed: 12)))
            dispositions.append(filter.fuse(baro: BaroSample(timestampUs: us, pressurePa: inf, temperatureC: 20)))
            dispositions.append(filter.fuse(mag: MagSample(timestampUs: us, fieldFRDGauss: Vector3(nan, 0.2, 0.4))))
            dispositions.append(filter.fuse(airspeed: AirspeedSample(timestampUs: us, differentialPressurePa: nan,
                                                                     temperatureC: 15)))
        }
        #expect(!dispositions.isEmpty)
        #expect(dispositions.allSatisfy { $0 == .rejected(.invalidValue) })
        let s = filter.state
        #expect(s.attitude.isFinite && s.velocityNEDMps.isFinite && s.positionNEDM.isFinite)
        #expect(filter.health.imuRejectedCount == dispositions.count / 7 * 2)
        #expect(filter.health.isHealthy)
        print("with non-finite input:", errors.summary)
        #expect(errors.rollDeg.rms <= 1.0)
        #expect(errors.horizontalPositionM.rms <= 3.0)
    }

    @Test func covarianceStaysSymmetricAndPositiveDefiniteThroughAFlightWithFaults() {
        var run = FlightRun()
        run.faults.gpsOutage = 100...110
        run.faults.gpsGlitch = (window: 140...142, offsetNEDM: Vector3(-40, 30, 5))
        run.durationS = 180
        var checks = 0
        var worstAsymmetry = 0.0
        var allPositive = true
        _ = run.run { step, filter in
            guard Int((step.timeS * 400).rounded()) % 2000 == 0, filter.state.phase != .aligning else { return }
            let p = CovarianceCheck.matrix(of: filter)
            worstAsymmetry = max(worstAsymmetry, CovarianceCheck.maxAsymmetry(p))
            if !CovarianceCheck.isPositiveDefinite(p) { allPositive = false }
            checks += 1
        }
        #expect(checks > 30)
        #expect(worstAsymmetry == 0)
        #expect(allPositive)
    }
}

extension FlightRun {
    var trajectoryOrigin: Geodetic { SensorSimulator(seed: 0).origin }
}
