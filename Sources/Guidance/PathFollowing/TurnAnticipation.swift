import FlightMath
import RealModule

/// Where to leave a leg so that a turn at the roll limit joins the next one: a circle of radius R tangent to both
/// legs touches the current one R·tan(Δχ/2) before the corner, Δχ being the change of course.
enum TurnAnticipation {
    /// Turns sharper than this are flown as if they were this sharp: near 180° the tangent point runs off to
    /// infinity and the vehicle would leave the leg absurdly early.
    static let maxCourseChangeRad = Angle.radians(fromDegrees: 120)

    static func switchDistanceM(incoming: NE, outgoing: NE, turnRadiusM: Double) -> Double {
        let a = incoming.normalized, b = outgoing.normalized
        guard a != .zero, b != .zero, turnRadiusM.isFinite, turnRadiusM > 0 else { return 0 }
        let change = min(abs(Double.atan2(y: a.cross(b), x: a.dot(b))), maxCourseChangeRad)
        return turnRadiusM * Double.tan(change / 2)
    }
}
