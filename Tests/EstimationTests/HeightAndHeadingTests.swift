import ConfigFiles
@testable import Estimation
import FlightMath
import Testing

/// The barometer offset learnt from GPS height, and magnetometer heading with its hard-iron calibration.
@Suite struct HeightAndHeadingTests {
    /// GPS height error as a first-order Gauss–Markov process (σ 2.5 m, τ 60 s, 5 Hz), the barometer offset
    /// estimated from it over 20 minutes, 60 seeds. Averaging a process of correlation time τ over T ≫ τ leaves a
    /// variance of σ²·2τ/T; with the first fix as prior the expected standard deviation is σ/√(1 + T/2τ) = 0.75 m,
    /// against 2.5 m for the single fix the offset used to be taken from.
    @Test func baroOffsetAveragesACorrelatedGPSHeightError() {
        let sigmaM = 2.5, tauS = 60.0, rateHz = 5.0, durationS = 1200.0, trueOffsetM = 37.0
        let decay = Double.exp(-1 / (rateHz * tauS))
        var sumSquares = 0.0, reportedVariance = 0.0
        let seeds = 60
        for seed in 0..<seeds {
            var random = RandomSource.stream(seed: UInt64(seed), label: 11)
            var gpsErrorM = random.gaussian() * sigmaM
            var estimator = BaroOffsetEstimator(offsetM: trueOffsetM - gpsErrorM, varianceM2: sigmaM * sigmaM)
            for k in 1...Int(durationS * rateHz) {
                gpsErrorM = gpsErrorM * decay + random.gaussian() * sigmaM * (1 - decay * decay).squareRoot()
                estimator.predict(dtS: 1 / rateHz, driftMPerRtS: 0)
                let accepted = estimator.update(measuredOffsetM: trueOffsetM - gpsErrorM, gpsVerticalSigmaM: sigmaM,
                                                correlationTimeS: tauS, atUs: UInt64(k) * 200_000, gateSigma: 5)
                #expect(accepted)
            }
            sumSquares += (estimator.offsetM - trueOffsetM) * (estimator.offsetM - trueOffsetM)
            reportedVariance = estimator.varianceM2
        }
        let rmsM = (sumSquares / Double(seeds)).squareRoot()
        let expectedM = sigmaM / (1 + durationS / (2 * tauS)).squareRoot()
        #expect(rmsM < 0.5 * sigmaM)
        #expect(rmsM > 0.6 * expectedM && rmsM < 1.4 * expectedM)
        // The estimator's own variance is the same analytic figure: it is neither over- nor under-confident.
        #expect(abs(reportedVariance.squareRoot() - expectedM) < 0.1 * expectedM)
    }

    /// A GPS height 40 m off (a glitch) fails the single-epoch gate and leaves the offset alone.
    @Test func baroOffsetGatesAGPSHeightGlitch() {
        var estimator = BaroOffsetEstimator(offsetM: 10, varianceM2: 1)
        _ = estimator.update(measuredOffsetM: 10, gpsVerticalSigmaM: 2, correlationTimeS: 60, atUs: 0, gateSigma: 5)
        let glitch = estimator.update(measuredOffsetM: 50, gpsVerticalSigmaM: 2, correlationTimeS: 60,
                                      atUs: 200_000, gateSigma: 5)
        #expect(!glitch)
        #expect(estimator.offsetM == 10)
        let next = estimator.update(measuredOffsetM: 12, gpsVerticalSigmaM: 2, correlationTimeS: 60, atUs: 400_000,
                                    gateSigma: 5)
        #expect(next)
        #expect(estimator.offsetM > 10 && estimator.offsetM < 10.1)
    }

    /// The origin taken from GPS fixes 6 m too high (the first 15 s of fixes): the height used to keep that error
    /// for the whole flight, the barometer's offset having been learnt against it once. Now GPS height refines the
    /// offset, and the height converges to the truth at the rate the GPS error decorrelates (white here, weighted
    /// as if correlated over 60 s: about 80 % of the error is gone after 250 s).
    @Test func heightRecoversFromAnOriginTakenFromABadGPSHeight() {
        var run = FlightRun()
        run.faults.gpsGlitch = (window: 0...15, offsetNEDM: Vector3(0, 0, -6))
        run.durationS = 400
        run.evaluateFromS = 250
        var earlyHeightErrorM = 0.0
        let (errors, filter) = run.run { step, filter in
            if abs(step.timeS - 20) < 1e-9, let g = filter.state.geodetic {
                earlyHeightErrorM = g.altitudeM - (488 - step.truthPositionNEDM.z)
            }
        }
        print("height after a bad origin fix: early error \(earlyHeightErrorM) m,", errors.summary)
        #expect(earlyHeightErrorM > 2.5)
        #expect(errors.heightM.rms <= 2)
        #expect(filter.health.baro.condition == .healthy)
    }

    /// The airframe's own field (hard iron, 0.05 G ≈ 13° of heading at 0.2 G horizontal field) is removed by the
    /// configured calibration; without it the heading is off by degrees.
    @Test func hardIronCalibrationIsAppliedBeforeHeadingFusion() {
        let hardIron = Vector3(0.04, -0.03, 0.02)
        var calibrated = FlightRun()
        calibrated.faults.magDisturbance = (window: 0...1e9, fieldFRDGauss: hardIron)
        calibrated.config.magHardIronFRDGauss = hardIron
        calibrated.durationS = 200
        calibrated.evaluateFromS = 60
        let (good, goodFilter) = calibrated.run()
        var uncalibrated = calibrated
        uncalibrated.config.magHardIronFRDGauss = .zero
        let (bad, _) = uncalibrated.run()
        print("calibrated:", good.summary, "uncalibrated:", bad.summary)
        #expect(good.headingDeg.rms <= 1.5)
        #expect(goodFilter.health.mag.condition == .healthy)
        #expect(bad.headingDeg.rms > 2 * good.headingDeg.rms)
    }

    @Test func hardIronCalibrationIsReadFromTheConfigFile() throws {
        let c = try ConfigFile.decode(NavigationFilterConfig.self,
                                      fromTOML: "mag_hard_iron_frd_gauss = [0.05, 0.01, -0.04]\n", source: "nav.toml")
        #expect(c.magHardIronFRDGauss == Vector3(0.05, 0.01, -0.04))
        #expect(throws: (any Error).self) {
            _ = try ConfigFile.decode(NavigationFilterConfig.self, fromTOML: "mag_hard_iron_frd_gauss = [0.05, 0.01]\n",
                                      source: "nav.toml")
        }
    }
}
