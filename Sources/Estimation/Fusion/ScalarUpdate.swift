import FlightMath

/// One row of a measurement Jacobian with at most five non-zero entries (no measurement here needs more), so
/// P·Hᵀ costs 17 × 5 multiplications instead of 17 × 17.
struct ObservationRow {
    private(set) var indices = InlineArray<5, Int>(repeating: 0)
    private(set) var values = InlineArray<5, Double>(repeating: 0)
    private(set) var count = 0

    init() {}

    init(index: Int, value: Double) { append(index, value) }

    mutating func append(_ index: Int, _ value: Double) {
        guard count < 5 else { return }
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
    /// H P Hᵀ + R: the innovation variance of a scalar measurement.
    @inline(__always) func innovationVariance(_ h: ObservationRow, noiseVariance r: Double) -> Double {
        var s = r
        for a in 0..<h.count {
            for b in 0..<h.count { s += h.values[a] * self[h.indices[a], h.indices[b]] * h.values[b] }
        }
        return s
    }

    /// Scalar Kalman update: K = P Hᵀ / S, P ← P − (P Hᵀ)(P Hᵀ)ᵀ / S (written as an outer product so P stays
    /// exactly symmetric). Returns the correction K·ν, or nil — leaving P untouched — when the numbers are not
    /// trustworthy: a non-positive or non-finite S, or an update that would drive a variance negative (a sign
    /// that P has lost positive definiteness, which must not be hidden by fusing anyway).
    mutating func update(_ h: ObservationRow, innovation: Double, noiseVariance r: Double) -> ErrorVector? {
        guard innovation.isFinite, r > 0, r.isFinite else { return nil }
        let n = Self.n
        var dx = ErrorVector()
        let accepted: Bool = withElements { e in
            // P Hᵀ, kept in dx's storage until the gain is known.
            var pht = InlineArray<17, Double>(repeating: 0)
            var s = r
            for i in 0..<n {
                var sum = 0.0
                for k in 0..<h.count { sum += e[i * n + h.indices[k]] * h.values[k] }
                pht[i] = sum
            }
            for k in 0..<h.count { s += h.values[k] * pht[h.indices[k]] }
            guard s > 0, s.isFinite else { return false }
            let inverseS = 1 / s
            for i in 0..<n {
                let p = pht[i]
                guard p.isFinite, p * p * inverseS < e[i * n + i] * (1 + 1e-9) + 1e-300 else { return false }
                dx[i] = p * inverseS * innovation
            }
            guard dx.isFinite else { return false }
            for i in 0..<n {
                let ki = pht[i] * inverseS
                for j in i..<n {
                    let v = e[i * n + j] - ki * pht[j]
                    e[i * n + j] = v
                    e[j * n + i] = v
                }
            }
            // Rounding can leave a variance a hair below zero after a very informative update; keep it positive.
            for i in 0..<n where e[i * n + i] < 1e-12 { e[i * n + i] = 1e-12 }
            return true
        }
        return accepted ? dx : nil
    }
}
