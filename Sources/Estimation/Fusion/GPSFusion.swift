import FlightMath

extension NavigationFilter {
    /// Hands a GPS solution to the filter. Its `timestampUs` must be the time the solution is valid (receiver
    /// latency already subtracted); it is fused when the fusion horizon reaches that time. Fixes that are not 3D,
    /// use too few satellites or report poor accuracy are refused and count towards the GPS being degraded/failed.
    @discardableResult public mutating func fuse(gps fix: GPSFix) -> MeasurementDisposition {
        let timing = admissible(timestampUs: fix.timestampUs)
        guard timing == .accepted, let now = newestImuUs else {
            counters.droppedMeasurementCount &+= 1
            return timing
        }
        guard fix.position.isFinite, fix.velocityNEDMps.isFinite, fix.horizontalAccuracyM.isFinite,
              fix.verticalAccuracyM.isFinite, fix.speedAccuracyMps.isFinite,
              abs(fix.position.latitudeRad) <= Double.pi / 2, abs(fix.position.longitudeRad) <= 2 * Double.pi,
              abs(fix.position.altitudeM) < 100_000, fix.velocityNEDMps.norm < 500
        else {
            gpsMonitor.noteArrival(atUs: now, usable: false)
            return .rejected(.invalidValue)
        }
        let good = fix.fixType == .fix3D && fix.satellitesUsed >= config.gpsMinSatellites
            && fix.horizontalAccuracyM <= config.gpsMaxHorizontalAccuracyM
            && fix.speedAccuracyMps <= config.gpsMaxSpeedAccuracyMps
        gpsMonitor.noteArrival(atUs: now, usable: good)
        guard good else { return .accepted }
        if !gpsQueue.push(fix) { counters.droppedMeasurementCount &+= 1 }
        return .accepted
    }

    /// Fuses one good fix at its own time. Returns true when the filter state changed.
    mutating func fuseGPSNow(_ fix: GPSFix) -> Bool {
        guard let frame else {
            initialiseOrigin(at: fix)
            return true
        }
        let measuredNED = frame.ned(of: fix.position)
        func sq(_ x: Double) -> Double { x * x }
        let rPos = sq(Swift.max(fix.horizontalAccuracyM, config.gpsPositionNoiseMinM))
        let rHeight = sq(Swift.max(fix.verticalAccuracyM, config.gpsVerticalNoiseMinM))
        let rVel = sq(Swift.max(fix.speedAccuracyMps, config.gpsVelocityNoiseMinMps))

        if !headingAligned {
            let groundSpeed = (sq(fix.velocityNEDMps.x) + sq(fix.velocityNEDMps.y)).squareRoot()
            if groundSpeed >= config.yawAlignMinGroundSpeedMps {
                alignHeadingToCourse(fix, measuredNED: measuredNED, rPos: rPos, rVel: rVel)
                return true
            }
        }

        let v = ErrorState.velocity, p = ErrorState.position
        // Gate each group on the prior, before any component is fused, so a bad axis cannot slip half a fix in.
        var velocityRecord = InnovationRecord()
        velocityRecord.timestampUs = fix.timestampUs
        velocityRecord.innovation = fix.velocityNEDMps - filterState.velocityNEDMps
        velocityRecord.innovationVariance = covariance.diagonal3(at: v) + Vector3(rVel, rVel, rVel)
        velocityRecord.testRatio = Self.testRatio(velocityRecord.innovation, velocityRecord.innovationVariance,
                                                  gate: config.gpsVelocityGateSigma, axes: 3)

        var positionRecord = InnovationRecord()
        positionRecord.timestampUs = fix.timestampUs
        positionRecord.innovation = measuredNED - filterState.positionNEDM
        positionRecord.innovationVariance = covariance.diagonal3(at: p) + Vector3(rPos, rPos, rHeight)
        positionRecord.testRatio = Self.testRatio(positionRecord.innovation, positionRecord.innovationVariance,
                                                  gate: config.gpsPositionGateSigma, axes: 2)

        // Lost: no fix reached fusion for longer than the timeout (an outage, not a run of rejections).
        let lost = previousGPSFusionUs.map { SensorMonitor.seconds(from: $0, to: fix.timestampUs) > config.gpsTimeoutS }
            ?? true
        previousGPSFusionUs = fix.timestampUs
        let rejectedTooLong = gpsMonitor.rejectingForS(atFusionTimeUs: fix.timestampUs)
            > config.gpsResetAfterRejectedS
        let passes = velocityRecord.testRatio <= 1 && positionRecord.testRatio <= 1
        if !passes && (lost || rejectedTooLong) {
            // The GPS is back after an outage, or has disagreed for so long that the filter is the likelier
            // culprit: start position and velocity again from the fix.
            resetPositionAndVelocity(to: fix, measuredNED: measuredNED, rPos: rPos, rHeight: rHeight, rVel: rVel)
            counters.gpsResetCount &+= 1
            gpsMonitor.clearRejectionRun()
            velocityRecord.accepted = true
            positionRecord.accepted = true
            gpsMonitor.noteCheck(positionRecord, secondary: velocityRecord)
            return true
        }

        var changed = false
        velocityRecord.accepted = velocityRecord.testRatio <= 1
        positionRecord.accepted = positionRecord.testRatio <= 1
        if velocityRecord.accepted {
            for axis in 0..<3 {
                let innovation = fix.velocityNEDMps[axis] - filterState.velocityNEDMps[axis]
                if fuseScalar(ObservationRow(index: v + axis, value: 1), innovation: innovation, noiseVariance: rVel) {
                    changed = true
                }
            }
        }
        if positionRecord.accepted {
            for axis in 0..<2 {
                let innovation = measuredNED[axis] - filterState.positionNEDM[axis]
                if fuseScalar(ObservationRow(index: p + axis, value: 1), innovation: innovation, noiseVariance: rPos) {
                    changed = true
                }
            }
            // GPS height does not enter the state directly while the barometer works: two height sources with
            // different biases would pull against each other. It refines the barometer's offset instead, slowly,
            // so the height is the barometer's in the short term and the GPS's on average.
            if baroMonitor.status.condition != .failed {
                refineBaroOffset(with: fix, measuredHeightM: -measuredNED.z)
            } else {
                let innovation = measuredNED.z - filterState.positionNEDM.z
                let ratio = sq(innovation) / (sq(config.gpsPositionGateSigma) * positionRecord.innovationVariance.z)
                if ratio <= 1,
                   fuseScalar(ObservationRow(index: p + 2, value: 1), innovation: innovation, noiseVariance: rHeight) {
                    changed = true
                }
            }
        }
        gpsMonitor.noteCheck(positionRecord, secondary: velocityRecord)
        return changed
    }

    /// The first good fix defines the local frame; position and velocity start from it.
    mutating func initialiseOrigin(at fix: GPSFix) {
        frame = LocalFrame(origin: fix.position)
        previousGPSFusionUs = fix.timestampUs
        func sq(_ x: Double) -> Double { x * x }
        resetPositionAndVelocity(
            to: fix, measuredNED: .zero,
            rPos: sq(Swift.max(fix.horizontalAccuracyM, config.gpsPositionNoiseMinM)),
            rHeight: sq(Swift.max(fix.verticalAccuracyM, config.gpsVerticalNoiseMinM)),
            rVel: sq(Swift.max(fix.speedAccuracyMps, config.gpsVelocityNoiseMinMps)))
        phase = .navigating
        var record = InnovationRecord()
        record.timestampUs = fix.timestampUs
        record.accepted = true
        gpsMonitor.noteCheck(record, secondary: record)
    }

    /// - Parameter keepHeight: leave the height (and the barometer's offset learnt so far) as it is: the barometer
    ///   is unaffected by what made the horizontal solution wrong.
    mutating func resetPositionAndVelocity(to fix: GPSFix, measuredNED: Vector3, rPos: Double, rHeight: Double,
                                           rVel: Double, keepHeight: Bool = false) {
        let downM = filterState.positionNEDM.z
        filterState.positionNEDM = measuredNED
        filterState.velocityNEDMps = fix.velocityNEDMps
        covariance.resetBlock(base: ErrorState.velocity, count: 3, variance: rVel)
        covariance.resetBlock(base: ErrorState.position, count: 2, variance: rPos)
        if keepHeight, baroOffset != nil {
            filterState.positionNEDM.z = downM
        } else {
            covariance.resetBlock(base: ErrorState.position + 2, count: 1, variance: rHeight)
            // The barometer's offset is re-learnt against the new height.
            baroOffset = nil
        }
    }

    /// Without a magnetometer the heading is unknown until the vehicle moves; a fixed wing flies where it points
    /// (up to the wind's crab angle), so the GPS course is a good first heading. The EKF refines it in turns.
    mutating func alignHeadingToCourse(_ fix: GPSFix, measuredNED: Vector3, rPos: Double, rVel: Double) {
        let course = Double.atan2(y: fix.velocityNEDMps.y, x: fix.velocityNEDMps.x)
        let yaw = filterState.attitude.euler.yawRad
        rotateHeading(byRad: Angle.wrapPi(course - yaw), yawVariance: config.unalignedYawSigmaRad
            * config.unalignedYawSigmaRad)
        func sq(_ x: Double) -> Double { x * x }
        resetPositionAndVelocity(to: fix, measuredNED: measuredNED, rPos: rPos,
                                 rHeight: sq(Swift.max(fix.verticalAccuracyM, config.gpsVerticalNoiseMinM)), rVel: rVel,
                                 keepHeight: true)
        headingAligned = true
    }

    /// Rotates the filter attitude about the NED down axis and restarts the heading uncertainty.
    mutating func rotateHeading(byRad angle: Double, yawVariance: Double) {
        filterState.attitude = (Quaternion(axis: .unitZ, angleRad: angle) * filterState.attitude).normalized
        covariance.resetBlock(base: ErrorState.attitude + 2, count: 1, variance: yawVariance)
    }

    /// innovation² / (gate² · variance), the largest over the first `axes` components.
    static func testRatio(_ innovation: Vector3, _ variance: Vector3, gate: Double, axes: Int) -> Double {
        var worst = 0.0
        for k in 0..<axes {
            let s = variance[k]
            guard s > 0, s.isFinite, innovation[k].isFinite else { return .infinity }
            worst = Swift.max(worst, innovation[k] * innovation[k] / (gate * gate * s))
        }
        return worst
    }

    /// One scalar update of the filter state; false (and nothing changed) when the update was numerically refused.
    mutating func fuseScalar(_ h: ObservationRow, innovation: Double, noiseVariance: Double) -> Bool {
        guard let dx = covariance.update(h, innovation: innovation, noiseVariance: noiseVariance) else { return false }
        filterState.apply(dx)
        return true
    }
}
