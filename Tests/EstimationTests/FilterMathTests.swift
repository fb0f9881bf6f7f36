@testable import Estimation
import FlightMath
import PropertyBased
import Testing

/// The building blocks against independent dense computations and closed forms.
@Suite struct FilterMathTests {
    /// A random symmetric positive definite 17×17 matrix (A Aᵀ + I·ε) in both representations.
    static func randomCovariance(seed: UInt64) -> (CovarianceMatrix, [[Double]]) {
        var rng = RandomSource(seed: seed)
        let n = 17
        let a = (0..<n).map { _ in (0..<n).map { _ in rng.gaussian() * 0.3 } }
        var dense = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var p = CovarianceMatrix()
        for i in 0..<n {
            for j in 0..<n {
                var s = i == j ? 0.01 : 0
                for k in 0..<n { s += a[i][k] * a[j][k] }
                dense[i][j] = s
                p[i, j] = s
            }
        }
        return (p, dense)
    }

    static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        let n = a.count
        return (0..<n).map { i in (0..<n).map { j in (0..<n).reduce(0.0) { $0 + a[i][$1] * b[$1][j] } } }
    }

    static func transpose(_ a: [[Double]]) -> [[Double]] {
        (0..<a.count).map { i in (0..<a.count).map { j in a[j][i] } }
    }

    @Test func sparsePredictionEqualsDenseFPFTranspose() {
        let (p0, dense) = Self.randomCovariance(seed: 7)
        let r = Quaternion(euler: EulerAngles(rollRad: 0.3, pitchRad: -0.2, yawRad: 2.1)).dcm
        let a = Vector3(1.5, -2.0, -9.0)
        let dt = 0.0025
        // F built element by element from the error dynamics, independently of the filter's block code.
        var f = (0..<17).map { i in (0..<17).map { j in i == j ? 1.0 : 0.0 } }
        let skewA = Matrix3.skew(a)
        for i in 0..<3 {
            for j in 0..<3 {
                f[0 + i][9 + j] = -r[i, j] * dt       // δθ ← δb_g
                f[3 + i][0 + j] = -skewA[i, j] * dt   // δv ← δθ
                f[3 + i][12 + j] = -r[i, j] * dt      // δv ← δb_a
            }
            f[6 + i][3 + i] = dt                      // δp ← δv
        }
        let expected = Self.multiply(Self.multiply(f, dense), Self.transpose(f))
        var p = p0
        p.propagate(bodyToNED: r, accelerationNEDMps2: a, dtS: dt)
        var worst = 0.0
        for i in 0..<17 { for j in 0..<17 { worst = max(worst, abs(p[i, j] - expected[i][j])) } }
        #expect(worst < 1e-12)
    }

    @Test func scalarUpdateMatchesTheKalmanEquations() {
        let (p0, dense) = Self.randomCovariance(seed: 11)
        var h = ObservationRow()
        h.append(2, 0.7)
        h.append(5, -1.3)
        h.append(16, 0.4)
        let r = 0.25, innovation = 0.8
        // Dense: S = H P Hᵀ + R, K = P Hᵀ / S, P' = P − K H P.
        var hRow = [Double](repeating: 0, count: 17)
        hRow[2] = 0.7; hRow[5] = -1.3; hRow[16] = 0.4
        let pht = (0..<17).map { i in (0..<17).reduce(0.0) { $0 + dense[i][$1] * hRow[$1] } }
        let s = (0..<17).reduce(r) { $0 + hRow[$1] * pht[$1] }
        let k = pht.map { $0 / s }
        var p = p0
        let innovationVariance = p.innovationVariance(h, noiseVariance: r)
        #expect(abs(innovationVariance - s) < 1e-12)
        guard let dx = p.update(h, innovation: innovation, noiseVariance: r) else {
            Issue.record("update refused")
            return
        }
        for i in 0..<17 {
            #expect(abs(dx[i] - k[i] * innovation) < 1e-12)
            for j in 0..<17 {
                let hp = (0..<17).reduce(0.0) { $0 + hRow[$1] * dense[$1][j] }
                #expect(abs(p[i, j] - (dense[i][j] - k[i] * hp)) < 1e-12)
            }
        }
        #expect(p.asymmetry == 0)
    }

    @Test func updateRefusesNonFiniteInnovationAndLeavesCovarianceUntouched() {
        let (p0, _) = Self.randomCovariance(seed: 3)
        var p = p0
        #expect(p.update(ObservationRow(index: 4, value: 1), innovation: .nan, noiseVariance: 1) == nil)
        #expect(p.update(ObservationRow(index: 4, value: 1), innovation: 1, noiseVariance: .infinity) == nil)
        #expect(p.update(ObservationRow(index: 4, value: .nan), innovation: 1, noiseVariance: 1) == nil)
        for i in 0..<17 { for j in 0..<17 { #expect(p[i, j] == p0[i, j]) } }
    }

    @Test func varianceLimitKeepsPositiveDefiniteness() {
        let (p0, _) = Self.randomCovariance(seed: 5)
        var p = p0
        p.limitVariance(base: 9, count: 3, maximum: 0.01)
        let dense = (0..<17).map { i in (0..<17).map { j in p[i, j] } }
        for i in 9..<12 { #expect(p[i, i] <= 0.01 * (1 + 1e-12)) }
        #expect(CovarianceCheck.isPositiveDefinite(dense))
    }

    @Test func strapdownIntegrationFollowsTheTruthWithPerfectSensors() {
        // Validates the truth generator and the filter's mechanisation against each other: with noise-free
        // samples the integrated state must stay on the analytic trajectory through launch, turns and climbs.
        let trajectory = TruthTrajectory.standard(launchS: 5)
        var walker = TruthWalker(trajectory)
        var state = NominalState()
        state.attitude = trajectory.attitude(0)
        state.velocityNEDMps = trajectory.velocityNEDMps(0)
        state.positionNEDM = walker.positionNEDM
        let dt = 0.0025
        var worstAttitudeRad = 0.0, worstVelocityMps = 0.0
        for k in 1...(120 * 400) {
            walker.advance(by: dt)
            let t = Double(k) * dt
            state.propagate(InertialStep(timestampUs: 0, dtS: dt, gyroFRDRadps: trajectory.bodyRateFRDRadps(t),
                                         accelFRDMps2: trajectory.specificForceFRDMps2(t)))
            worstAttitudeRad = max(worstAttitudeRad, state.attitude.angleRad(to: trajectory.attitude(t)))
            worstVelocityMps = max(worstVelocityMps, (state.velocityNEDMps - trajectory.velocityNEDMps(t)).norm)
        }
        let positionErrorM = (state.positionNEDM - walker.positionNEDM).norm
        // The samples are instantaneous values at the interval end (a real IMU averages over it), so small
        // first-order errors remain and integrate into position over two minutes without any aiding; these
        // bounds are far below what the filter has to correct anyway, and a sign or frame error breaks them
        // by orders of magnitude.
        #expect(worstAttitudeRad < Angle.radians(fromDegrees: 0.2))
        #expect(worstVelocityMps < 0.2)
        #expect(positionErrorM < 15)
    }

    @Test func pressureAltitudeInvertsTheStandardAtmosphere() async {
        await propertyCheck(count: 200, input: Gen.double(in: -400...8000)) { height in
            let p = SensorSimulator.pressurePa(altitudeM: height)
            #expect(abs(Atmosphere.pressureAltitudeM(pressurePa: p) - height) < 1e-6)
        }
        // Datasheet-style anchors: ISA 1000 m is 89 874.6 Pa; sea level 101 325 Pa.
        #expect(abs(Atmosphere.pressureAltitudeM(pressurePa: 89_874.6) - 1000) < 0.1)
        #expect(abs(Atmosphere.pressureAltitudeM(pressurePa: 101_325)) < 1e-9)
    }

    @Test func staticAlignmentRecoversRollPitchAndHeading() async {
        await propertyCheck(count: 100, input: Gen.double(in: -0.5...0.5), Gen.double(in: -0.5...0.5),
                            Gen.double(in: -3.1...3.1)) { roll, pitch, yaw in
            let truth = Quaternion(euler: EulerAngles(rollRad: roll, pitchRad: pitch, yawRad: yaw))
            let declination = 0.1
            let field = Vector3(0.2 * Double.cos(declination), 0.2 * Double.sin(declination), 0.4)
            var a = StaticAlignment()
            for _ in 0..<100 {
                a.add(accelFRDMps2: truth.inverseRotate(Vector3(0, 0, -WGS84.standardGravityMps2)),
                      gyroFRDRadps: Vector3(0.01, 0, 0), dtS: 0.0025, maxGyroRadps: 0.1, maxAccelDeviationMps2: 1)
                a.add(magFRDGauss: truth.inverseRotate(field))
            }
            guard let result = a.attitude(declinationRad: declination) else {
                Issue.record("no attitude")
                return
            }
            #expect(result.headingFromMag)
            #expect(result.attitude.angleRad(to: truth) < 1e-9)
            #expect(abs(a.gyroBiasFRDRadps.x - 0.01) < 1e-12)
        }
    }

    @Test func alignmentRestartsWhenTheVehicleMoves() {
        var a = StaticAlignment()
        let still = Vector3(0, 0, -WGS84.standardGravityMps2)
        for _ in 0..<400 { a.add(accelFRDMps2: still, gyroFRDRadps: .zero, dtS: 0.0025, maxGyroRadps: 0.1,
                                 maxAccelDeviationMps2: 1) }
        #expect(abs(a.durationS - 1) < 1e-9)
        // Picked up and turned: the smoothed rate passes the threshold within a few samples.
        for _ in 0..<200 { a.add(accelFRDMps2: still, gyroFRDRadps: Vector3(0, 0, 1), dtS: 0.0025,
                                 maxGyroRadps: 0.1, maxAccelDeviationMps2: 1) }
        #expect(a.durationS < 0.5)
    }

    /// The validity check the filter runs after every prediction sees a non-finite value in any of the 289 elements
    /// (the first, a lane of the four-wide sum, the last one outside it) and a variance that is not positive.
    @Test func theValidityCheckFindsEveryNonFiniteElement() {
        var valid = Self.randomCovariance(seed: 5).0
        let validChecks = valid.checkValid()
        #expect(validChecks)
        for k in [0, 1, 3, 4, 100, 143, 286, 287, 288] {
            for bad in [Double.nan, .infinity, -.infinity] {
                var p = valid
                p[k / 17, k % 17] = bad
                let checks = p.checkValid()
                #expect(!checks, "element \(k) = \(bad)")
            }
        }
        var negative = valid
        negative[16, 16] = 0
        let negativeChecks = negative.checkValid()
        #expect(!negativeChecks)
        var huge = valid
        huge[2, 9] = 1e300
        let hugeChecks = huge.checkValid()
        #expect(hugeChecks)
    }
}
