import FlightMath

/// Quaternion arithmetic for the strapdown loop, which runs once per IMU sample for the filter, once for the output
/// and once per buffered sample on every re-propagation of the output through the fusion horizon (about a hundred
/// steps per fusion): the general routines' sine, cosine, square roots and divisions dominated the estimator's cost.
/// Each result equals the general one to within a few units in the last place.
enum SmallRotation {
    /// Below this |θ|² the series of `quaternion(rotationVector:)` is exact to rounding: |θ| < 0.02 rad, an IMU
    /// interval at 8 rad/s and 400 Hz. Larger increments take the general path.
    static let seriesLimitRad2 = 4e-4

    /// exp(θ) as a unit quaternion, cos(|θ|/2) + sin(|θ|/2)/|θ| · θ. For small |θ| both are even power series in
    /// x² = |θ|²/4 ≤ 1e-4, so neither |θ| (a square root) nor the trigonometric functions are needed; the first term
    /// left out, x⁸/8! ≈ 2.5e-21, is far below rounding of numbers near 1.
    @inline(__always) static func quaternion(rotationVector v: Vector3) -> Quaternion {
        let angle2 = v.x * v.x + v.y * v.y + v.z * v.z
        guard angle2 < seriesLimitRad2 else { return Quaternion(rotationVector: v) }
        let x2 = angle2 * 0.25
        let cosine = 1 - x2 * (1.0 / 2 - x2 * (1.0 / 24 - x2 * (1.0 / 720)))
        let halfSinc = 0.5 * (1 - x2 * (1.0 / 6 - x2 * (1.0 / 120 - x2 * (1.0 / 5040))))
        return Quaternion(w: cosine, x: v.x * halfSinc, y: v.y * halfSinc, z: v.z * halfSinc)
    }

    /// `q` scaled to unit length with one division (the general `normalized` divides four times); degenerate input
    /// becomes identity as there.
    @inline(__always) static func normalized(_ q: Quaternion) -> Quaternion {
        let n = (q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z).squareRoot()
        guard n > 1e-12, n.isFinite else { return .identity }
        let inverse = 1 / n
        return Quaternion(w: q.w * inverse, x: q.x * inverse, y: q.y * inverse, z: q.z * inverse)
    }

    /// Hamilton product and body → NED rotation, the same arithmetic as `Quaternion`'s `*` and `rotate` (bit for
    /// bit), forced inline: the optimiser left both as calls inside the strapdown step.
    @inline(__always) static func product(_ a: Quaternion, _ b: Quaternion) -> Quaternion {
        Quaternion(
            w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    @inline(__always) static func rotate(_ v: Vector3, by q: Quaternion) -> Vector3 {
        let u = Vector3(q.x, q.y, q.z)
        let t = Vector3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x) * 2
        let ut = Vector3(u.y * t.z - u.z * t.y, u.z * t.x - u.x * t.z, u.x * t.y - u.y * t.x)
        return v + t * q.w + ut
    }
}
