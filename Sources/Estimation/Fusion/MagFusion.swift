import FlightMath

extension NavigationFilter {
    /// Hands a magnetometer sample (calibrated, FRD, gauss) to the filter. Only the direction of the field's
    /// horizontal part is used (heading), so field strength changes and an unmodelled inclination do not
    /// disturb roll and pitch.
    @discardableResult public mutating func fuse(mag sample: MagSample) -> MeasurementDisposition {
        guard config.useMagnetometer else { return .rejected(.disabled) }
        let timing = admissible(timestampUs: sample.timestampUs)
        guard timing == .accepted, let now = newestImuUs else {
            counters.droppedMeasurementCount &+= 1
            return timing
        }
        guard sample.fieldFRDGauss.isFinite, sample.fieldFRDGauss.norm < 10 else {
            magMonitor.noteArrival(atUs: now, usable: false)
            return .rejected(.invalidValue)
        }
        magMonitor.noteArrival(atUs: now, usable: true)
        if phase == .aligning {
            alignment.add(magFRDGauss: sample.fieldFRDGauss)
        } else if !magQueue.push(sample) {
            counters.droppedMeasurementCount &+= 1
        }
        return .accepted
    }

    /// Heading fusion: the measured field rotated into NED with the estimated attitude should point along the
    /// declination. For a NED-frame attitude error δθ the azimuth error is
    ///   δψ = δθ_D − (m_N m_D δθ_N + m_E m_D δθ_E) / h²,   h² = m_N² + m_E²,
    /// which is the observation row used (tilt errors leak into heading where the field is steep).
    mutating func fuseMagNow(_ sample: MagSample) -> Bool {
        let m = filterState.attitude.rotate(sample.fieldFRDGauss)
        let h2 = m.x * m.x + m.y * m.y
        guard h2 >= config.magMinHorizontalFieldGauss * config.magMinHorizontalFieldGauss else { return false }
        let innovation = Angle.wrapPi(config.magDeclinationRad - Double.atan2(y: m.y, x: m.x))
        if !headingAligned {
            // First heading after aligning without a magnetometer: take it outright.
            rotateHeading(byRad: innovation, yawVariance: config.initialYawSigmaRad * config.initialYawSigmaRad)
            headingAligned = true
            return true
        }
        var h = ObservationRow()
        h.append(ErrorState.attitude, -m.x * m.z / h2)
        h.append(ErrorState.attitude + 1, -m.y * m.z / h2)
        h.append(ErrorState.attitude + 2, 1)
        let r = config.magHeadingNoiseRad * config.magHeadingNoiseRad
        var record = InnovationRecord()
        record.timestampUs = sample.timestampUs
        record.innovation.x = innovation
        record.innovationVariance.x = covariance.innovationVariance(h, noiseVariance: r)
        record.testRatio = Self.testRatio(record.innovation, record.innovationVariance, gate: config.magGateSigma,
                                          axes: 1)
        record.accepted = record.testRatio <= 1
        magMonitor.noteCheck(record)
        guard record.accepted else { return false }
        return fuseScalar(h, innovation: innovation, noiseVariance: r)
    }
}
