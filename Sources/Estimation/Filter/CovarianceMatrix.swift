import FlightMath

/// The 17×17 error-state covariance in fixed inline storage (row major, 289 doubles, no heap). Only the operations
/// the filter needs are here, each written for the sparsity it actually has, so one prediction is a few thousand
/// flops rather than the ~10⁵ of a dense F·P·Fᵀ.
struct CovarianceMatrix: Sendable {
    static let n = ErrorState.count
    private var storage = InlineArray<289, Double>(repeating: 0)

    init() {}

    @inline(__always) subscript(row: Int, column: Int) -> Double {
        get { storage[row &* 17 &+ column] }
        set { storage[row &* 17 &+ column] = newValue }
    }

    /// Zeroes the rows and columns of `count` states from `base`, then sets their variance, so the states start
    /// uncorrelated with everything else (used at initialisation and on resets).
    mutating func resetBlock(base: Int, count: Int, variance: Double) {
        for i in base..<(base + count) {
            for j in 0..<Self.n {
                self[i, j] = 0
                self[j, i] = 0
            }
            self[i, i] = variance
        }
    }

    @inline(__always) func variance(_ i: Int) -> Double { self[i, i] }

    func diagonal3(at base: Int) -> Vector3 { Vector3(self[base, base], self[base + 1, base + 1], self[base + 2, base + 2]) }

    /// P ← F P Fᵀ for the linearised error dynamics over one IMU interval:
    ///   δθ += −R δb_g dt,   δv += (−[a_NED]× δθ − R δb_a) dt,   δp += δv dt,
    /// every other block identity. F = I + G, applied first to the rows then to the columns; within each pass the
    /// position rows are updated before the velocity rows and those before the attitude rows, so each update reads
    /// the values of the previous step exactly as F requires.
    mutating func propagate(bodyToNED r: Matrix3, accelerationNEDMps2 a: Vector3, dtS dt: Double) {
        let rdt = r * (-dt)                      // −R dt, couples both bias errors
        let adt = Matrix3.skew(a) * (-dt)        // −[a]× dt, couples attitude error into velocity
        let th = ErrorState.attitude, v = ErrorState.velocity, p = ErrorState.position
        let bg = ErrorState.gyroBias, ba = ErrorState.accelBias
        // Rows: M = F P.
        for j in 0..<Self.n {
            let vj = Vector3(self[v, j], self[v + 1, j], self[v + 2, j])
            let tj = Vector3(self[th, j], self[th + 1, j], self[th + 2, j])
            let gj = Vector3(self[bg, j], self[bg + 1, j], self[bg + 2, j])
            let aj = Vector3(self[ba, j], self[ba + 1, j], self[ba + 2, j])
            let dp = vj * dt
            let dv = adt * tj + rdt * aj
            let dth = rdt * gj
            for k in 0..<3 {
                self[p + k, j] += dp[k]
                self[v + k, j] += dv[k]
                self[th + k, j] += dth[k]
            }
        }
        // Columns: P' = M Fᵀ.
        for i in 0..<Self.n {
            let vi = Vector3(self[i, v], self[i, v + 1], self[i, v + 2])
            let ti = Vector3(self[i, th], self[i, th + 1], self[i, th + 2])
            let gi = Vector3(self[i, bg], self[i, bg + 1], self[i, bg + 2])
            let ai = Vector3(self[i, ba], self[i, ba + 1], self[i, ba + 2])
            let dp = vi * dt
            let dv = adt * ti + rdt * ai
            let dth = rdt * gi
            for k in 0..<3 {
                self[i, p + k] += dp[k]
                self[i, v + k] += dv[k]
                self[i, th + k] += dth[k]
            }
        }
    }

    /// Adds `q` to the variance of `count` states from `base` (process noise is diagonal in this parametrisation:
    /// white noise rotated by R stays isotropic).
    @inline(__always) mutating func addDiagonal(base: Int, count: Int, _ q: Double) {
        for i in base..<(base + count) { self[i, i] += q }
    }

    /// Replaces P by (P + Pᵀ)/2 so rounding never lets the two triangles drift apart.
    mutating func symmetrise() {
        for i in 0..<Self.n {
            for j in (i + 1)..<Self.n {
                let m = 0.5 * (self[i, j] + self[j, i])
                self[i, j] = m
                self[j, i] = m
            }
        }
    }

    /// Limits the variance of each state in `base..<base+count` to `maximum` by scaling its row and column
    /// (D P D with D diagonal, a congruence, so P stays positive semi-definite — clamping only the diagonal would
    /// not). States that are unobservable for a while (wind without airspeed, biases at rest) stop growing here.
    mutating func limitVariance(base: Int, count: Int, maximum: Double) {
        for i in base..<(base + count) {
            let v = self[i, i]
            guard v > maximum else { continue }
            let s = (maximum / v).squareRoot()
            for j in 0..<Self.n {
                self[i, j] *= s
                self[j, i] *= s
            }
        }
    }

    /// True when every element is finite and every variance positive.
    var isValid: Bool {
        for i in 0..<Self.n where !(self[i, i] > 0) || !self[i, i].isFinite { return false }
        for k in 0..<289 where !storage[k].isFinite { return false }
        return true
    }

    /// Largest |P[i,j] − P[j,i]|, for tests.
    var asymmetry: Double {
        var worst = 0.0
        for i in 0..<Self.n {
            for j in (i + 1)..<Self.n { worst = Swift.max(worst, abs(self[i, j] - self[j, i])) }
        }
        return worst
    }
}
