import FlightMath

extension NavigationFilter {
    /// Before the first GPS fix the vehicle is on the ground at rest: zero velocity and a fixed horizontal
    /// position are measurements in their own right, and they keep tilt and accelerometer bias converging.
    mutating func fuseStationary() -> Bool {
        let rVel = config.stationaryVelocityNoiseMps * config.stationaryVelocityNoiseMps
        let rPos = config.stationaryPositionNoiseM * config.stationaryPositionNoiseM
        var changed = false
        for axis in 0..<3 {
            let h = ObservationRow(index: ErrorState.velocity + axis, value: 1)
            let innovation = -filterState.velocityNEDMps[axis]
            let s = covariance.innovationVariance(h, noiseVariance: rVel)
            // A vehicle that is in fact moving fails this gate; then nothing is fused.
            guard innovation * innovation <= 25 * s else { continue }
            if fuseScalar(h, innovation: innovation, noiseVariance: rVel) { changed = true }
        }
        for axis in 0..<2 {
            let h = ObservationRow(index: ErrorState.position + axis, value: 1)
            let innovation = -filterState.positionNEDM[axis]
            let s = covariance.innovationVariance(h, noiseVariance: rPos)
            guard innovation * innovation <= 25 * s else { continue }
            if fuseScalar(h, innovation: innovation, noiseVariance: rPos) { changed = true }
        }
        return changed
    }
}
