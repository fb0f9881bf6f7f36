import FlightMath

extension NavigationFilter {
    /// Hands a barometer sample to the filter; fused (as height above the origin) at its timestamp.
    @discardableResult public mutating func fuse(baro sample: BaroSample) -> MeasurementDisposition {
        let timing = admissible(timestampUs: sample.timestampUs)
        guard timing == .accepted, let now = newestImuUs else {
            counters.droppedMeasurementCount &+= 1
            return timing
        }
        guard sample.pressurePa.isFinite, sample.pressurePa > 1_000, sample.pressurePa < 120_000 else {
            baroMonitor.noteArrival(atUs: now, usable: false)
            return .rejected(.invalidValue)
        }
        baroMonitor.noteArrival(atUs: now, usable: true)
        lastPressurePa = sample.pressurePa
        if phase != .aligning, !baroQueue.push(sample) { counters.droppedMeasurementCount &+= 1 }
        return .accepted
    }

    mutating func fuseBaroNow(_ sample: BaroSample) -> Bool {
        let altitude = Atmosphere.pressureAltitudeM(pressurePa: sample.pressurePa)
        let predictedHeight = -filterState.positionNEDM.z
        lastBaroAltitude = (altitude, sample.timestampUs)
        guard let offset = baroOffset?.offsetM else {
            // Learn the offset rather than fuse: the barometer measures height changes, not height. It is as
            // uncertain as the height it was taken against.
            restartBaroOffset(altitudeM: altitude, heightM: predictedHeight)
            return false
        }
        let r = config.baroNoiseM * config.baroNoiseM
        let h = ObservationRow(index: ErrorState.position + 2, value: -1)
        var record = InnovationRecord()
        record.timestampUs = sample.timestampUs
        record.innovation.x = (altitude - offset) - predictedHeight
        record.innovationVariance.x = covariance.innovationVariance(h, noiseVariance: r)
        record.testRatio = Self.testRatio(record.innovation, record.innovationVariance, gate: config.baroGateSigma,
                                          axes: 1)
        record.accepted = record.testRatio <= 1
        if !record.accepted, baroMonitor.rejectingForS(atFusionTimeUs: sample.timestampUs) > config.rejectionFailS {
            // A barometer that disagrees for seconds has stepped (or the height was reset): re-learn its offset.
            restartBaroOffset(altitudeM: altitude, heightM: predictedHeight)
            baroMonitor.clearRejectionRun()
        }
        baroMonitor.noteCheck(record)
        guard record.accepted else { return false }
        return fuseScalar(h, innovation: record.innovation.x, noiseVariance: r)
    }

    mutating func restartBaroOffset(altitudeM: Double, heightM: Double) {
        let heightVariance = covariance.variance(ErrorState.position + 2)
        baroOffset = BaroOffsetEstimator(
            offsetM: altitudeM - heightM,
            varianceM2: heightVariance.isFinite ? heightVariance + config.baroNoiseM * config.baroNoiseM : 100)
    }

    /// A good GPS fix measures the baro offset: the barometer's altitude, carried to the fix's time with the
    /// estimated climb rate, minus the GPS height.
    mutating func refineBaroOffset(with fix: GPSFix, measuredHeightM: Double) {
        guard var estimator = baroOffset, let baro = lastBaroAltitude else { return }
        let dtS = fix.timestampUs >= baro.timestampUs ? Double(fix.timestampUs - baro.timestampUs) * 1e-6
            : -Double(baro.timestampUs - fix.timestampUs) * 1e-6
        // Only a recent sample: after a barometer outage the last altitude says nothing about now.
        guard abs(dtS) <= 0.5 else { return }
        let altitudeAtFixM = baro.altitudeM - filterState.velocityNEDMps.z * dtS
        estimator.update(
            measuredOffsetM: altitudeAtFixM - measuredHeightM,
            gpsVerticalSigmaM: Swift.max(fix.verticalAccuracyM, config.gpsVerticalNoiseMinM),
            correlationTimeS: config.gpsHeightCorrelationTimeS, atUs: fix.timestampUs, gateSigma: config.baroGateSigma)
        baroOffset = estimator
    }
}
