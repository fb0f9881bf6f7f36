import FlightMath

/// Direction of an orbit seen from above.
public enum OrbitDirection: String, Sendable, Codable {
    case clockwise = "cw"
    case counterClockwise = "ccw"

    var sign: Double { self == .clockwise ? 1 : -1 }
}

/// The path near the vehicle: closest point, unit tangent (direction of travel), signed curvature (positive when
/// the path turns right) and the signed track error (positive when the vehicle is right of the path).
struct PathSample: Sendable {
    var closestPoint: NE
    var tangent: NE
    var curvaturePerM: Double
    var trackErrorM: Double

    /// Unit vector from the vehicle toward the closest point (zero on the path).
    var normalTowardPath: NE {
        trackErrorM == 0 ? .zero : tangent.right * (trackErrorM > 0 ? -1 : 1)
    }

    /// Infinite straight line through `from` and `to`, in the direction from → to. When the two coincide the line
    /// runs from the vehicle to the point, so the vehicle flies to it.
    static func line(from a: NE, to b: NE, position p: NE) -> PathSample {
        var tangent = (b - a).normalized
        if tangent == .zero { tangent = (b - p).normalized }
        if tangent == .zero { tangent = NE(1, 0) }
        let along = (p - a).dot(tangent)
        let closest = a + tangent * along
        return PathSample(closestPoint: closest, tangent: tangent, curvaturePerM: 0,
                          trackErrorM: tangent.cross(p - a))
    }

    /// Circle about `center`. At the centre itself the radial direction is undefined and north is taken.
    static func circle(center c: NE, radiusM r: Double, direction: OrbitDirection, position p: NE) -> PathSample {
        let offset = p - c
        let distance = offset.norm
        let radial = distance > 1e-6 ? offset * (1 / distance) : NE(1, 0)
        let tangent = radial.right * direction.sign
        let outside = distance - r
        // Clockwise the centre is on the right of the direction of travel, so outside is left (negative).
        return PathSample(closestPoint: c + radial * r, tangent: tangent, curvaturePerM: direction.sign / r,
                          trackErrorM: -direction.sign * outside)
    }
}
