import Estimation
import FlightMath
import Testing

/// An IMU that goes silent in flight (a NACKing chip, a brown-out): the filter cannot propagate across the gap, so
/// its state is stale by whatever the vehicle did meanwhile, and its covariance must say so.
@Suite struct IMUGapTests {
    /// A navigating filter at rest, then 2 s without IMU samples: the attitude, velocity and position variances grow
    /// by what the gap allows (`imu_gap_*` settings), instead of by the 50 ms the propagation is capped at. Before,
    /// they grew by 50 ms worth of noise, and after a 3 s dropout in SITL the filter held a pitch 25° off for ten
    /// seconds against the measurements (Scenarios/faults/imu-dropout.toml, seed 4).
    @Test func aGapWidensTheUncertaintyByWhatTheGapAllows() {
        var f = NavigationFilter()
        let origin = Geodetic(latitudeDeg: 47.4, longitudeDeg: 8.5, altitudeM: 488)
        var us: UInt64 = 1_000_000
        for i in 0..<1_200 {
            us += 2500
            f.predict(imu: InterfaceTests.restingIMU(us))
            if i >= 900, i % 40 == 0 {
                _ = f.fuse(gps: GPSFix(timestampUs: us - 100_000, fixType: .fix3D, position: origin,
                                       velocityNEDMps: .zero, horizontalAccuracyM: 1, verticalAccuracyM: 1.5,
                                       speedAccuracyMps: 0.1, satellitesUsed: 14))
            }
        }
        #expect(f.state.phase == .navigating)
        let before = CovarianceCheck.matrix(of: f)
        let gapCountBefore = f.health.imuGapCount
        us += 2_000_000
        f.predict(imu: InterfaceTests.restingIMU(us))
        // The widening is applied when the gap's sample leaves the fusion horizon.
        for _ in 0..<200 {
            us += 2500
            f.predict(imu: InterfaceTests.restingIMU(us))
        }
        let after = CovarianceCheck.matrix(of: f)
        #expect(f.health.imuGapCount == gapCountBefore + 1)
        let c = NavigationFilterConfig()
        let gapS = 2.0 - c.imuMaxGapS
        let attitude = min(c.imuGapRateSigmaRadps * gapS, c.imuGapMaxAttitudeSigmaRad)
        for axis in 0..<3 {
            #expect(after[axis][axis] - before[axis][axis] > 0.9 * attitude * attitude, "attitude axis \(axis)")
            #expect(after[3 + axis][3 + axis] - before[3 + axis][3 + axis]
                    > 0.5 * (c.imuGapAccelSigmaMps2 * gapS) * (c.imuGapAccelSigmaMps2 * gapS), "velocity axis \(axis)")
        }
        #expect(CovarianceCheck.isPositiveDefinite(after))
        #expect(CovarianceCheck.maxAsymmetry(after) < 1e-9)
    }

    /// A gap within `imu_max_gap_s` is an ordinary interval: nothing is widened.
    @Test func anOrdinaryIntervalWidensNothing() {
        var f = NavigationFilter()
        var us: UInt64 = 1_000_000
        for _ in 0..<1_200 {
            us += 2500
            f.predict(imu: InterfaceTests.restingIMU(us))
        }
        let before = CovarianceCheck.matrix(of: f)
        us += 40_000
        f.predict(imu: InterfaceTests.restingIMU(us))
        for _ in 0..<200 {
            us += 2500
            f.predict(imu: InterfaceTests.restingIMU(us))
        }
        let after = CovarianceCheck.matrix(of: f)
        #expect(f.health.imuGapCount == 0)
        #expect(after[0][0] - before[0][0] < 1e-3)
    }
}
