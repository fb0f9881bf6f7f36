@testable import Estimation
import FlightMath
import PropertyBased
import RealModule
import Testing

/// The filter's structured covariance arithmetic (sparse measurement rows, the rank-one update on the states it
/// reaches, the block-structured prediction) against the textbook dense formulas, over random covariances, rows,
/// noises and motions. The dense references live only here.
@Suite struct SparseUpdateTests {
    static let n = 17

    /// A random symmetric positive definite covariance A Aᵀ + εI with element scales from 1e-6 to 1e2 (as in flight:
    /// bias variances are tiny, position variances large). States in `uncorrelated` get zero covariance with every
    /// other state, as wind has before the first airspeed fusion.
    static func randomCovariance(_ rng: inout RandomSource, uncorrelated: Set<Int> = []) -> [[Double]] {
        let scale = (0..<n).map { _ in Double.pow(10, -3 + 4 * rng.uniform()) }
        let a = (0..<n).map { i in (0..<n).map { _ in rng.gaussian() * scale[i] } }
        var p = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n {
                if i != j, uncorrelated.contains(i) || uncorrelated.contains(j) { continue }
                var s = i == j ? 1e-9 : 0
                for k in 0..<n { s += a[i][k] * a[j][k] }
                p[i][j] = s
            }
        }
        // Exactly symmetric, as the filter keeps it.
        for i in 0..<n { for j in 0..<i { p[i][j] = p[j][i] } }
        return p
    }

    static func matrix(_ dense: [[Double]]) -> CovarianceMatrix {
        var p = CovarianceMatrix()
        for i in 0..<n { for j in 0..<n { p[i, j] = dense[i][j] } }
        return p
    }

    /// Dense reference: S = H P Hᵀ + R, K = P Hᵀ / S, P' = P − K (H P), δx = K ν.
    static func denseUpdate(_ p: [[Double]], h: [Double], r: Double, innovation: Double)
        -> (p: [[Double]], dx: [Double], s: Double) {
        let pht = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + p[i][$1] * h[$1] } }
        let hp = (0..<n).map { j in (0..<n).reduce(0.0) { $0 + h[$1] * p[$1][j] } }
        let s = (0..<n).reduce(r) { $0 + h[$1] * pht[$1] }
        let k = pht.map { $0 / s }
        let updated = (0..<n).map { i in (0..<n).map { j in p[i][j] - k[i] * hp[j] } }
        return (updated, k.map { $0 * innovation }, s)
    }

    /// Largest |a − b| relative to the prior's standard deviations of the entry's row and column (rounding scales
    /// with the operands, not with a result that cancels down), so 1e-6 and 1e2 states are judged alike.
    static func worstRelativeDifference(_ p: CovarianceMatrix, _ expected: [[Double]], prior: [[Double]]) -> Double {
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let size = (max(prior[i][i], expected[i][i]) * max(prior[j][j], expected[j][j])).squareRoot() + 1e-300
                worst = max(worst, abs(p[i, j] - expected[i][j]) / size)
            }
        }
        return worst
    }

    /// One random case: a row with 1 to 5 non-zero entries (the measurement types have 1, 3 or 5), a noise and an
    /// innovation; `uncorrelatedCount` states (the last ones) start uncorrelated.
    static func checkUpdate(seed: Int, entries: Int, uncorrelatedCount: Int) {
        var rng = RandomSource(seed: UInt64(seed))
        let uncorrelated = Set((n - uncorrelatedCount)..<n)
        let dense = randomCovariance(&rng, uncorrelated: uncorrelated)
        var row = ObservationRow()
        var h = [Double](repeating: 0, count: n)
        var used = Set<Int>()
        while used.count < entries {
            // Measured states among the correlated ones, so the uncorrelated ones stay unreached.
            let index = Int(rng.next() % UInt64(n - uncorrelatedCount))
            guard used.insert(index).inserted else { continue }
            let value = entries == 1 ? (rng.uniform() < 0.5 ? -1.0 : 1.0) : rng.gaussian()
            row.append(index, value)
            h[index] = value
        }
        let r = Double.pow(10, -4 + 5 * rng.uniform())
        let innovation = rng.gaussian() * 3
        let expected = denseUpdate(dense, h: h, r: r, innovation: innovation)
        var p = matrix(dense)
        let s = p.innovationVariance(row, noiseVariance: r)
        #expect(abs(s - expected.s) <= 1e-12 * expected.s)
        guard let dx = p.update(row, innovation: innovation, noiseVariance: r) else {
            Issue.record("update refused on a positive definite covariance (seed \(seed))")
            return
        }
        for i in 0..<n {
            // |Kᵢ| ≤ σᵢ / √S (Cauchy–Schwarz), the scale of this entry's rounding.
            let scale = dense[i][i].squareRoot() / expected.s.squareRoot() * (abs(innovation) + 1)
            #expect(abs(dx[i] - expected.dx[i]) <= 1e-12 * scale)
        }
        #expect(worstRelativeDifference(p, expected.p, prior: dense) < 1e-12)
        #expect(p.asymmetry == 0)
        // Rows the correction does not reach are not touched at all, not merely close.
        for i in uncorrelated where h[i] == 0 {
            for j in 0..<n { #expect(p[i, j] == dense[i][j]) }
        }
    }

    @Test func sparseScalarUpdateEqualsTheDenseKalmanUpdate() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...5)) { seed, entries in
            Self.checkUpdate(seed: seed, entries: entries, uncorrelatedCount: 0)
        }
    }

    @Test func statesTheUpdateDoesNotReachKeepTheirRowsBitForBit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...5), Gen.int(in: 1...6)) {
            seed, entries, uncorrelatedCount in
            Self.checkUpdate(seed: seed, entries: entries, uncorrelatedCount: uncorrelatedCount)
        }
    }

    /// GPS fuses its axes one after another; three sequential single-state updates must equal the dense update
    /// repeated with the covariance each previous axis left.
    @Test func sequentialGPSAxesEqualRepeatedDenseUpdates() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = RandomSource(seed: UInt64(seed))
            let prior = Self.randomCovariance(&rng)
            var dense = prior
            var p = Self.matrix(dense)
            for axis in 0..<3 {
                let index = ErrorState.velocity + axis
                var h = [Double](repeating: 0, count: Self.n)
                h[index] = 1
                let innovation = rng.gaussian()
                dense = Self.denseUpdate(dense, h: h, r: 0.01, innovation: innovation).p
                #expect(p.update(ObservationRow(index: index, value: 1), innovation: innovation, noiseVariance: 0.01)
                    != nil)
            }
            #expect(Self.worstRelativeDifference(p, dense, prior: prior) < 1e-12)
            #expect(p.asymmetry == 0)
        }
    }

    @Test func structuredPredictionEqualsDenseFPFTransposeAndStaysExactlySymmetric() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000), Gen.double(in: -3.1...3.1),
                            Gen.double(in: -1.5...1.5), Gen.double(in: 0.0005...0.05)) { seed, yaw, pitch, dt in
            var rng = RandomSource(seed: UInt64(seed))
            let dense = Self.randomCovariance(&rng)
            let r = Quaternion(euler: EulerAngles(rollRad: rng.gaussian(), pitchRad: pitch, yawRad: yaw)).dcm
            let a = rng.gaussianVector(standardDeviation: 10)
            // F element by element from the error dynamics.
            var f = (0..<17).map { i in (0..<17).map { j in i == j ? 1.0 : 0.0 } }
            let skewA = Matrix3.skew(a)
            for i in 0..<3 {
                for j in 0..<3 {
                    f[0 + i][9 + j] = -r[i, j] * dt
                    f[3 + i][0 + j] = -skewA[i, j] * dt
                    f[3 + i][12 + j] = -r[i, j] * dt
                }
                f[6 + i][3 + i] = dt
            }
            let fp = (0..<17).map { i in (0..<17).map { j in (0..<17).reduce(0.0) { $0 + f[i][$1] * dense[$1][j] } } }
            let expected = (0..<17).map { i in (0..<17).map { j in (0..<17).reduce(0.0) { $0 + fp[i][$1] * f[j][$1] } } }
            var p = Self.matrix(dense)
            p.propagate(bodyToNED: r, accelerationNEDMps2: a, dtS: dt)
            #expect(Self.worstRelativeDifference(p, expected, prior: dense) < 1e-12)
            #expect(p.asymmetry == 0)
        }
    }

    /// The strapdown step's series for exp(θ) against the general closed form, up to the increments it is used for
    /// and past them (where it hands over to the closed form).
    @Test func smallRotationMatchesTheClosedForm() async {
        await propertyCheck(count: 500, input: Gen.double(in: -0.03...0.03), Gen.double(in: -0.03...0.03),
                            Gen.double(in: -0.03...0.03)) { x, y, z in
            let v = Vector3(x, y, z)
            let series = SmallRotation.quaternion(rotationVector: v)
            let closed = Quaternion(rotationVector: v)
            #expect(abs(series.w - closed.w) <= 4e-16)
            #expect(abs(series.x - closed.x) <= 4e-16 * max(abs(closed.x), 1e-3))
            #expect(abs(series.y - closed.y) <= 4e-16 * max(abs(closed.y), 1e-3))
            #expect(abs(series.z - closed.z) <= 4e-16 * max(abs(closed.z), 1e-3))
            let q = Quaternion(euler: EulerAngles(rollRad: x * 30, pitchRad: y * 30, yawRad: z * 100))
            #expect(SmallRotation.product(q, series) == q * series)
            #expect(SmallRotation.rotate(v, by: q) == q.rotate(v))
            let unit = SmallRotation.normalized(Quaternion(w: 2 * q.w, x: 2 * q.x, y: 2 * q.y, z: 2 * q.z))
            #expect(abs(unit.norm - 1) < 1e-15)
        }
        #expect(SmallRotation.normalized(Quaternion(w: 0, x: 0, y: 0, z: 0)) == .identity)
        #expect(SmallRotation.normalized(Quaternion(w: .nan, x: 0, y: 0, z: 0)) == .identity)
    }

    @Test func ringVisitsEveryElementOldestFirstAcrossTheWrap() {
        for pushed in [0, 3, 8, 11, 21] {
            var ring = FixedRing<8, Int>(filler: -1)
            for k in 0..<pushed { ring.push(k) }
            for _ in 0..<(pushed % 3) { _ = ring.popOldest() }
            var visited: [Int] = []
            ring.forEachOldestFirst { visited.append($0) }
            var expected: [Int] = []
            for k in 0..<ring.count { expected.append(ring.element(at: k)) }
            #expect(visited == expected, "after \(pushed) pushes")
            #expect(visited == Array((pushed - ring.count)..<pushed), "after \(pushed) pushes")
        }
    }
}
