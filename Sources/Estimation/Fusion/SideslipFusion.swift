import FlightMath

extension NavigationFilter {
    /// Zero sideslip as a measurement (the air's velocity in the body frame has no sideways component), fused at
    /// most every `sideslipFusionPeriodUs` after an accepted airspeed fusion. With the pitot's |v − w| alone the wind
    /// lies anywhere on a circle around the ground velocity; the sideslip picks the point on it that the nose points
    /// away from, as PX4's EKF2 does for fixed wings.
    ///
    /// β ≈ v_b.y / v_b.x with v_b = Rᵀ (v − w). With the NED-frame attitude error δθ (R = (I + [δθ×]) R̂),
    /// ∂v_b/∂δθ has rows (b_x × v_rel) and (b_y × v_rel), b_x and b_y the body axes in NED; ∂v_b/∂δv = (b_x, b_y)
    /// and ∂v_b/∂δw = −(b_x, b_y) in north and east.
    mutating func fuseSideslipNow(atUs timeUs: UInt64) -> Bool {
        guard config.useSideslip, headingAligned, timeUs >= lastSideslipFusionUs &+ Self.sideslipFusionPeriodUs,
              covariance[ErrorState.attitude + 2, ErrorState.attitude + 2]
                  <= config.sideslipMaxYawSigmaRad * config.sideslipMaxYawSigmaRad
        else { return false }
        let relative = filterState.velocityNEDMps - Vector3(filterState.windNorthMps, filterState.windEastMps, 0)
        let r = filterState.attitude.dcm
        let bodyX = Vector3(r[0, 0], r[1, 0], r[2, 0]), bodyY = Vector3(r[0, 1], r[1, 1], r[2, 1])
        let forward = bodyX.dot(relative), sideways = bodyY.dot(relative)
        // Slow or flying backwards through the air (on the rail, a tailslide): the ratio says nothing.
        guard forward >= config.airspeedMinFusionMps else { return false }
        lastSideslipFusionUs = timeUs
        let predicted = sideways / forward
        // Only the velocity and wind columns: with the attitude's too, a wind estimate still far off (the mirror
        // image the pitot alone allows) was explained as an attitude error, and the attitude was pulled over.
        let h = Self.sideslipJacobian(at: filterState, includingAttitude: false)
        let noise = config.sideslipNoiseRad * config.sideslipNoiseRad
        let innovation = 0 - predicted
        let variance = covariance.innovationVariance(h, noiseVariance: noise)
        guard variance > 0, innovation * innovation <= config.sideslipGateSigma * config.sideslipGateSigma * variance
        else { return false }
        return fuseScalar(h, innovation: innovation, noiseVariance: noise)
    }

    /// ∂β/∂(δθ, δv, δw) at the current filter state (β = v_b.y / v_b.x); see `fuseSideslipNow`.
    func sideslipJacobian(includingAttitude: Bool = true) -> ObservationRow {
        Self.sideslipJacobian(at: filterState, includingAttitude: includingAttitude)
    }

    /// Static, and given the nominal state alone: as a method of the filter, called from the filter's own mutating
    /// fusion, it copied the whole 17 kB filter first (the compiler copies a large value it borrows from memory it
    /// cannot prove unchanged during the call).
    static func sideslipJacobian(at filterState: NominalState, includingAttitude: Bool) -> ObservationRow {
        let relative = filterState.velocityNEDMps - Vector3(filterState.windNorthMps, filterState.windEastMps, 0)
        let r = filterState.attitude.dcm
        let bodyX = Vector3(r[0, 0], r[1, 0], r[2, 0]), bodyY = Vector3(r[0, 1], r[1, 1], r[2, 1])
        let forward = bodyX.dot(relative), sideways = bodyY.dot(relative)
        let dForward = 1 / forward, dRatio = -sideways / (forward * forward)
        let attitudeRow = bodyY.cross(relative) * dForward + bodyX.cross(relative) * dRatio
        let velocityRow = bodyY * dForward + bodyX * dRatio
        var h = ObservationRow()
        if includingAttitude {
            h.append(ErrorState.attitude, attitudeRow.x)
            h.append(ErrorState.attitude + 1, attitudeRow.y)
            h.append(ErrorState.attitude + 2, attitudeRow.z)
        }
        h.append(ErrorState.velocity, velocityRow.x)
        h.append(ErrorState.velocity + 1, velocityRow.y)
        h.append(ErrorState.velocity + 2, velocityRow.z)
        h.append(ErrorState.wind, -velocityRow.x)
        h.append(ErrorState.wind + 1, -velocityRow.y)
        return h
    }
}
