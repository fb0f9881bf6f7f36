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

    /// Runs `body` with a pointer to the 289 elements (row major). The loops below use it because InlineArray's
    /// subscript is a generic call in unoptimised builds, which made a debug-built filter ten times slower; the
    /// indices they form are all below 17 × 17 by construction.
    @inline(__always) mutating func withElements<R>(_ body: (UnsafeMutablePointer<Double>) -> R) -> R {
        withUnsafeMutablePointer(to: &storage) { array in
            array.withMemoryRebound(to: Double.self, capacity: 289) { body($0) }
        }
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

    @inline(__always) func diagonal3(at base: Int) -> Vector3 { Vector3(self[base, base], self[base + 1, base + 1], self[base + 2, base + 2]) }

    /// P ← F P Fᵀ for the linearised error dynamics over one IMU interval:
    ///   δθ += −R δb_g dt,   δv += (−[a_NED]× δθ − R δb_a) dt,   δp += δv dt,
    /// every other block identity. F = I + G with G non-zero only in the nine attitude, velocity and position rows
    /// (the "moving" rows), so:
    /// - M = F P changes only the moving rows (all 17 columns), updated position first, then velocity, then
    ///   attitude, so each reads the values F requires;
    /// - P' = M Fᵀ changes only the moving columns. In a fixed row (biases, wind) that column is P' = M's moving row
    ///   transposed, a copy; only the 9×9 moving block needs the column pass, and it is computed on its upper
    ///   triangle and mirrored.
    /// P stays exactly symmetric (every other operation on it is too), so no averaging pass is needed.
    mutating func propagate(bodyToNED r: Matrix3, accelerationNEDMps2 a: Vector3, dtS dt: Double) {
        let rdt = r * (-dt)                      // −R dt, couples both bias errors
        let adt = Matrix3.skew(a) * (-dt)        // −[a]× dt, couples attitude error into velocity
        let th = ErrorState.attitude, v = ErrorState.velocity, p = ErrorState.position
        let bg = ErrorState.gyroBias, ba = ErrorState.accelBias
        let n = Self.n
        let moving = Self.movingRows
        withElements { e in
            // Rows: M = F P. Element (i, j) is e[i * n + j].
            for j in 0..<n {
                let vj = Vector3(e[v * n + j], e[(v + 1) * n + j], e[(v + 2) * n + j])
                let tj = Vector3(e[th * n + j], e[(th + 1) * n + j], e[(th + 2) * n + j])
                let gj = Vector3(e[bg * n + j], e[(bg + 1) * n + j], e[(bg + 2) * n + j])
                let aj = Vector3(e[ba * n + j], e[(ba + 1) * n + j], e[(ba + 2) * n + j])
                let dv = adt * tj + rdt * aj
                let dth = rdt * gj
                e[p * n + j] += vj.x * dt
                e[(p + 1) * n + j] += vj.y * dt
                e[(p + 2) * n + j] += vj.z * dt
                e[v * n + j] += dv.x
                e[(v + 1) * n + j] += dv.y
                e[(v + 2) * n + j] += dv.z
                e[th * n + j] += dth.x
                e[(th + 1) * n + j] += dth.y
                e[(th + 2) * n + j] += dth.z
            }
            // Columns of the fixed rows: P'[i, j] = M[j, i].
            for i in moving..<n {
                for j in 0..<moving { e[i * n + j] = e[j * n + i] }
            }
            // Columns of the moving block: P' = M Fᵀ on rows 0..<9, read from M before any is overwritten.
            for i in 0..<moving {
                let row = e + i * n
                let vi = Vector3(row[v], row[v + 1], row[v + 2])
                let ti = Vector3(row[th], row[th + 1], row[th + 2])
                let gi = Vector3(row[bg], row[bg + 1], row[bg + 2])
                let ai = Vector3(row[ba], row[ba + 1], row[ba + 2])
                let dv = adt * ti + rdt * ai
                let dth = rdt * gi
                row[p] += vi.x * dt
                row[p + 1] += vi.y * dt
                row[p + 2] += vi.z * dt
                row[v] += dv.x
                row[v + 1] += dv.y
                row[v + 2] += dv.z
                row[th] += dth.x
                row[th + 1] += dth.y
                row[th + 2] += dth.z
            }
            // The block is symmetric but for rounding: keep its upper triangle.
            for i in 1..<moving {
                for j in 0..<i { e[i * n + j] = e[j * n + i] }
            }
        }
    }

    /// Attitude, velocity and position: the first nine states, the only ones F mixes.
    static let movingRows = 9

    /// Adds `q` to the variance of `count` states from `base` (process noise is diagonal in this parametrisation:
    /// white noise rotated by R stays isotropic).
    @inline(__always) mutating func addDiagonal(base: Int, count: Int, _ q: Double) {
        withElements { e in
            for i in base..<(base + count) { e[i * 18] += q }
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
            let n = Self.n
            withElements { e in
                for j in 0..<n {
                    e[i * n + j] *= s
                    e[j * n + i] *= s
                }
            }
        }
    }

    /// True when every element is finite and every variance positive. (Mutating only to reach the storage
    /// through a pointer without copying it; nothing is changed.)
    mutating func checkValid() -> Bool {
        withElements { e in
            for i in 0..<17 where !(e[i * 18] > 0) { return false }
            // x · 0 is 0 for every finite x and NaN for ±∞ and NaN, so the sum is 0 exactly when every element is
            // finite: one pass instead of 289 branches. Four lanes at a time (288 = 4 × 72, then the last element):
            // a scalar sum is one dependent add chain that the compiler may not reorder.
            var sum = SIMD4<Double>(repeating: 0)
            let raw = UnsafeRawPointer(e)
            for k in 0..<72 { sum += raw.loadUnaligned(fromByteOffset: k * 32, as: SIMD4<Double>.self) * 0 }
            return sum.sum() + e[288] * 0 == 0
        }
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
