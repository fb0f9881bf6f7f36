import FlightMath

extension NavigationFilter {
    /// Hands a pitot differential-pressure sample to the filter. It is fused as true airspeed against
    /// |v − wind| (no sideslip), which makes the wind observable and bounds velocity drift when GPS is lost.
    @discardableResult public mutating func fuse(airspeed sample: AirspeedSample) -> MeasurementDisposition {
        guard config.useAirspeed else { return .rejected(.disabled) }
        let timing = admissible(timestampUs: sample.timestampUs)
        guard timing == .accepted, let now = newestImuUs else {
            counters.droppedMeasurementCount &+= 1
            return timing
        }
        guard sample.differentialPressurePa.isFinite, sample.differentialPressurePa < 20_000,
              sample.temperatureC.isFinite, sample.temperatureC > -80, sample.temperatureC < 150
        else {
            airspeedMonitor.noteArrival(atUs: now, usable: false)
            return .rejected(.invalidValue)
        }
        airspeedMonitor.noteArrival(atUs: now, usable: true)
        if phase == .navigating, !airspeedQueue.push(sample) { counters.droppedMeasurementCount &+= 1 }
        return .accepted
    }

    mutating func fuseAirspeedNow(_ sample: AirspeedSample) -> Bool {
        let density = PitotStatic.densityKgpm3(pressurePa: lastPressurePa ?? Atmosphere.seaLevelPressurePa,
                                               temperatureC: sample.temperatureC)
        let trueAirspeed = PitotStatic.trueAirspeedMps(differentialPressurePa: sample.differentialPressurePa,
                                                       densityKgpm3: density)
        // Slow (on the ground, or pressure noise around zero): the measurement says little and |v − w| is not
        // differentiable at zero.
        guard trueAirspeed >= config.airspeedMinFusionMps else { return false }
        let relative = filterState.velocityNEDMps
            - Vector3(filterState.windNorthMps, filterState.windEastMps, 0)
        let predicted = relative.norm
        guard predicted > 1 else { return false }
        let u = relative / predicted
        var h = ObservationRow()
        h.append(ErrorState.velocity, u.x)
        h.append(ErrorState.velocity + 1, u.y)
        h.append(ErrorState.velocity + 2, u.z)
        h.append(ErrorState.wind, -u.x)
        h.append(ErrorState.wind + 1, -u.y)
        let r = config.airspeedNoiseMps * config.airspeedNoiseMps
        var record = InnovationRecord()
        record.timestampUs = sample.timestampUs
        record.innovation.x = trueAirspeed - predicted
        record.innovationVariance.x = covariance.innovationVariance(h, noiseVariance: r)
        record.testRatio = Self.testRatio(record.innovation, record.innovationVariance,
                                          gate: config.airspeedGateSigma, axes: 1)
        record.accepted = record.testRatio <= 1
        airspeedMonitor.noteCheck(record)
        guard record.accepted else {
            let since = airspeedRejectedSinceUs ?? sample.timestampUs
            airspeedRejectedSinceUs = since
            if sample.timestampUs &- since >= UInt64(config.windResetAfterRejectionS * 1e6) {
                resetWind(trueAirspeedMps: trueAirspeed)
                airspeedRejectedSinceUs = nil
                return true  // a correction: the caller re-propagates the output state, as after a fusion
            }
            return false
        }
        airspeedRejectedSinceUs = nil
        return fuseScalar(h, innovation: record.innovation.x, noiseVariance: r)
    }

    /// The pitot alone puts the wind anywhere on a circle around the ground velocity (|v − w| = TAS), and a filter
    /// that settled on the wrong point of it (the mirror image, seen in 10 m/s wind after a launch on the GPS
    /// course) refuses every airspeed sample from then on and holds that wind for good: guidance then flies
    /// circles downwind. As PX4's EKF2 does, airspeed refused for `wind_reset_rejected_s` resets the wind
    /// from the measurement and the heading: the air flows along the nose (no sideslip), so w = v − TAS·(cos ψ,
    /// sin ψ), uncertain by the heading's variance times TAS² plus the pitot's noise.
    mutating func resetWind(trueAirspeedMps tas: Double) {
        let yaw = filterState.attitude.euler.yawRad
        let v = filterState.velocityNEDMps
        filterState.windNorthMps = v.x - tas * Double.cos(yaw)
        filterState.windEastMps = v.y - tas * Double.sin(yaw)
        let yawVariance = covariance[ErrorState.attitude + 2, ErrorState.attitude + 2]
        let variance = yawVariance * tas * tas + config.airspeedNoiseMps * config.airspeedNoiseMps
            + max(covariance[ErrorState.velocity, ErrorState.velocity], covariance[ErrorState.velocity + 1, ErrorState.velocity + 1])
        covariance.resetBlock(base: ErrorState.wind, count: 2, variance: variance)
        counters.windResetCount &+= 1
    }
}
