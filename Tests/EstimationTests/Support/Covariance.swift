import Estimation

/// Checks on the filter's full covariance, computed independently of the filter's own code.
enum CovarianceCheck {
    static func matrix(of filter: NavigationFilter) -> [[Double]] {
        let n = NavigationFilter.errorStateCount
        return filter.withCovariance { element in
            (0..<n).map { i in (0..<n).map { j in element(i, j) } }
        }
    }

    static func maxAsymmetry(_ p: [[Double]]) -> Double {
        var worst = 0.0
        for i in p.indices { for j in p.indices { worst = max(worst, abs(p[i][j] - p[j][i])) } }
        return worst
    }

    /// Cholesky factorisation succeeds exactly when a symmetric matrix is positive definite.
    static func isPositiveDefinite(_ p: [[Double]]) -> Bool {
        let n = p.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = p[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 0, s.isFinite else { return false }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        return true
    }
}
