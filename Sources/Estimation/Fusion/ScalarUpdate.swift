import FlightMath

/// One row of a measurement Jacobian with at most eight non-zero entries (the sideslip's: attitude, velocity and
/// wind; the others need five at most), so P·Hᵀ costs 17 × (non-zero entries) multiplications instead of 17 × 17.
struct ObservationRow {
    static let capacity = 8
    private(set) var indices = InlineArray<8, Int>(repeating: 0)
    private(set) var values = InlineArray<8, Double>(repeating: 0)
    private(set) var count = 0

    init() {}

    init(index: Int, value: Double) { append(index, value) }

    mutating func append(_ index: Int, _ value: Double) {
        guard count < Self.capacity else { return }
        indices[count] = index
        values[count] = value
        count += 1
    }

    /// H·δx for a correction already computed.
    func dot(_ dx: ErrorVector) -> Double {
        var s = 0.0
        for k in 0..<count { s += values[k] * dx[indices[k]] }
        return s
    }
}

extension CovarianceMatrix {
    /// H P Hᵀ + R: the innovation variance of a scalar measurement. Mutating only so that P is passed by address:
    /// non-mutating, each fusion copied all 2.3 kB of P first (P lives in the filter the fusion is mutating). It
    /// changes nothing.
    @inline(__always) mutating func innovationVariance(_ h: ObservationRow, noiseVariance r: Double) -> Double {
        var s = r
        for a in 0..<h.count {
            for b in 0..<h.count { s += h.values[a] * self[h.indices[a], h.indices[b]] * h.values[b] }
        }
        return s
    }

    /// Scalar Kalman update: K = P Hᵀ / S, P ← P − K (H P) = P − (P Hᵀ)(P Hᵀ)ᵀ / S. Returns the correction K·ν, or
    /// nil — leaving P untouched — when the numbers are not trustworthy: a non-positive or non-finite S, or an
    /// update that would drive a variance negative (a sign that P has lost positive definiteness, which must not be
    /// hidden by fusing anyway).
    ///
    /// Cost, as in generated EKF code: P Hᵀ reads only the columns of P where H is non-zero (one for barometer and
    /// GPS axes), and the rank-one correction touches only the rows and columns of states P Hᵀ reaches — a state
    /// uncorrelated with the measured ones (wind before airspeed, a bias not yet coupled) keeps its row and column
    /// without a single operation. Each element loses ((P Hᵀ)ᵢ (P Hᵀ)ⱼ) / S, a product that is the same for (i, j)
    /// and (j, i), so P stays exactly symmetric whichever loop computes it.
    mutating func update(_ h: ObservationRow, innovation: Double, noiseVariance r: Double) -> ErrorVector? {
        guard innovation.isFinite, r > 0, r.isFinite else { return nil }
        let n = Self.n
        var dx = ErrorVector()
        let accepted: Bool = withElements { e in
            // P Hᵀ: column h.indices[k] of P is row h.indices[k] (P symmetric), read contiguously.
            var pht = InlineArray<17, Double>(repeating: 0)
            for k in 0..<h.count {
                let row = e + h.indices[k] * n
                let hk = h.values[k]
                for i in 0..<n { pht[i] += row[i] * hk }
            }
            var s = r
            for k in 0..<h.count { s += h.values[k] * pht[h.indices[k]] }
            guard s > 0, s.isFinite else { return false }
            let inverseS = 1 / s
            // The states the correction reaches.
            var reached = InlineArray<17, Int>(repeating: 0)
            var m = 0
            for i in 0..<n {
                let p = pht[i]
                guard p.isFinite, p * p * inverseS < e[i * n + i] * (1 + 1e-9) + 1e-300 else { return false }
                dx[i] = p * inverseS * innovation
                if p != 0 {
                    reached[m] = i
                    m += 1
                }
            }
            guard dx.isFinite else { return false }
            withUnsafeMutablePointer(to: &pht) { $0.withMemoryRebound(to: Double.self, capacity: 17) { ph in
                if m == n {
                    // Every state reached (the usual case in flight): whole rows, contiguous, which vectorises.
                    // (P Hᵀ)ᵢ (P Hᵀ)ⱼ is the same product for (i, j) and (j, i), so P stays exactly symmetric.
                    for i in 0..<n {
                        let pi = ph[i]
                        let row = e + i * n
                        for j in 0..<n { row[j] -= (pi * ph[j]) * inverseS }
                    }
                    return
                }
                for a in 0..<m {
                    let i = reached[a]
                    let pi = ph[i]
                    let row = e + i * n
                    for b in a..<m {
                        let j = reached[b]
                        let value = row[j] - (pi * ph[j]) * inverseS
                        row[j] = value
                        e[j * n + i] = value
                    }
                }
            } }
            // Rounding can leave a variance a hair below zero after a very informative update; keep it positive.
            for i in 0..<n where e[i * n + i] < 1e-12 { e[i * n + i] = 1e-12 }
            return true
        }
        return accepted ? dx : nil
    }
}
