import FlightMath
import Testing
@testable import Estimation

/// Zero-sideslip fusion: its Jacobian against finite differences of β = v_b.y / v_b.x, so the derivation (NED-frame
/// attitude error, velocity, wind) is checked rather than trusted.
@Suite struct SideslipFusionTests {
    /// β of the air velocity seen in the body frame, for an attitude perturbed by the NED-frame error `dTheta`.
    func beta(attitude: Quaternion, velocity: Vector3, windNorth: Double, windEast: Double, dTheta: Vector3 = .zero)
        -> Double
    {
        let relative = velocity - Vector3(windNorth, windEast, 0)
        let rotated = Quaternion(rotationVector: dTheta) * attitude
        let r = rotated.dcm
        let bodyX = Vector3(r[0, 0], r[1, 0], r[2, 0]), bodyY = Vector3(r[0, 1], r[1, 1], r[2, 1])
        return bodyY.dot(relative) / bodyX.dot(relative)
    }

    @Test func jacobianMatchesFiniteDifferences() {
        let attitude = Quaternion(euler: EulerAngles(rollRad: 0.2, pitchRad: 0.05, yawRad: -0.6))
        let velocity = Vector3(14, -6, 0.8)
        let (wn, we) = (3.0, 9.0)
        var filter = NavigationFilter(config: NavigationFilterConfig())
        filter.filterState.attitude = attitude
        filter.filterState.velocityNEDMps = velocity
        filter.filterState.windNorthMps = wn
        filter.filterState.windEastMps = we
        let h = filter.sideslipJacobian()
        let base = beta(attitude: attitude, velocity: velocity, windNorth: wn, windEast: we)
        let e = 1e-6
        var numeric = [Double](repeating: 0, count: ErrorState.count)
        for axis in 0..<3 {
            var d = Vector3.zero
            d[axis] = e
            numeric[ErrorState.attitude + axis] =
                (beta(attitude: attitude, velocity: velocity, windNorth: wn, windEast: we, dTheta: d) - base) / e
            var v = velocity
            v[axis] += e
            numeric[ErrorState.velocity + axis] = (beta(attitude: attitude, velocity: v, windNorth: wn, windEast: we)
                - base) / e
        }
        numeric[ErrorState.wind] = (beta(attitude: attitude, velocity: velocity, windNorth: wn + e, windEast: we) - base) / e
        numeric[ErrorState.wind + 1] = (beta(attitude: attitude, velocity: velocity, windNorth: wn, windEast: we + e)
            - base) / e
        var analytic = [Double](repeating: 0, count: ErrorState.count)
        for k in 0..<h.count { analytic[h.indices[k]] = h.values[k] }
        for i in 0..<ErrorState.count {
            #expect(abs(analytic[i] - numeric[i]) < 1e-4, "state \(i): analytic \(analytic[i]), numeric \(numeric[i])")
        }
        #expect(h.count == 8)
    }
}
