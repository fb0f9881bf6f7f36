import FlightMath

extension NavigationFilter {
    /// Hands a magnetometer sample (FRD, gauss; the configured hard-iron field is removed here) to the filter. Only the direction of the field's
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
        var calibrated = sample
        calibrated.fieldFRDGauss = sample.fieldFRDGauss - config.magHardIronFRDGauss
        if phase == .aligning {
            alignment.add(magFRDGauss: calibrated.fieldFRDGauss)
        } else if !magQueue.push(calibrated) {
            counters.droppedMeasurementCount &+= 1
        }
        return .accepted
    }

    /// Heading fusion: the measured field, levelled with the estimated roll and pitch, gives a heading; the
    /// innovation is that heading minus the estimated one (equivalently: the declination minus the azimuth of the
    /// field rotated into NED with the estimated attitude).
    ///
    /// The observation row is that of the Euler yaw alone, ∂ψ/∂δθ = [−R₀₀R₂₀/d, −R₁₀R₂₀/d, 1], d = R₀₀² + R₁₀²,
    /// and deliberately ignores how the levelled heading itself depends on the tilt estimate (a term of size
    /// tan(inclination), ≈ 2 at mid latitudes). With that term the magnetometer would steer roll and pitch: on the
    /// ground, where tilt trades freely against accelerometer bias, a yaw drift from gyro bias was seen to walk
    /// the tilt by 3° in 20 s. Roll and pitch come from the accelerometer and GPS; the magnetometer gives heading.
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
        let r = filterState.attitude.dcm
        let d = r[0, 0] * r[0, 0] + r[1, 0] * r[1, 0]
        // Near ±90° pitch the heading is undefined; a fixed wing only passes there in a manoeuvre.
        guard d > 0.05 else { return false }
        var h = ObservationRow()
        h.append(ErrorState.attitude, -r[0, 0] * r[2, 0] / d)
        h.append(ErrorState.attitude + 1, -r[1, 0] * r[2, 0] / d)
        h.append(ErrorState.attitude + 2, 1)
        let noise = config.magHeadingNoiseRad * config.magHeadingNoiseRad
        var record = InnovationRecord()
        record.timestampUs = sample.timestampUs
        record.innovation.x = innovation
        record.innovationVariance.x = covariance.innovationVariance(h, noiseVariance: noise)
        record.testRatio = Self.testRatio(record.innovation, record.innovationVariance, gate: config.magGateSigma,
                                          axes: 1)
        record.accepted = record.testRatio <= 1
        magMonitor.noteCheck(record)
        guard record.accepted else { return false }
        return fuseScalar(h, innovation: innovation, noiseVariance: noise)
    }
}
