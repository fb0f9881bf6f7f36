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
    func innovationVariance(_ h: ObservationRow, noiseVariance r: Double) -> Double {
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
        var pht = InlineArray<17, Double>(repeating: 0)
        for i in 0..<Self.n {
            var s = 0.0
            for k in 0..<h.count { s += self[i, h.indices[k]] * h.values[k] }
            pht[i] = s
        }
        var s = r
        for k in 0..<h.count { s += h.values[k] * pht[h.indices[k]] }
        guard s > 0, s.isFinite else { return nil }
        let inverseS = 1 / s
        for i in 0..<Self.n {
            guard pht[i].isFinite, pht[i] * pht[i] * inverseS < self[i, i] * (1 + 1e-9) + 1e-300 else { return nil }
        }
        var dx = ErrorVector()
        for i in 0..<Self.n { dx[i] = pht[i] * inverseS * innovation }
        guard dx.isFinite else { return nil }
        for i in 0..<Self.n {
            let ki = pht[i] * inverseS
            for j in i..<Self.n {
                let v = self[i, j] - ki * pht[j]
                self[i, j] = v
                self[j, i] = v
            }
        }
        // Rounding can leave a variance a hair below zero after a very informative update; keep it positive.
        for i in 0..<Self.n where self[i, i] < 1e-12 { self[i, i] = 1e-12 }
        return dx
    }
}
