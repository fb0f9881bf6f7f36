import FlightMath
import RealModule

/// Where to leave a leg so that a turn at the roll limit joins the next one: a circle of radius R tangent to both
/// legs touches the current one R·tan(Δχ/2) before the corner, Δχ being the change of course.
public enum TurnAnticipation {
    /// Turns sharper than this are flown as if they were this sharp: near 180° the tangent point runs off to
    /// infinity and the vehicle would leave the leg absurdly early.
    static let maxCourseChangeRad = Angle.radians(fromDegrees: 120)

    static func switchDistanceM(incoming: NE, outgoing: NE, turnRadiusM: Double) -> Double {
        let a = incoming.normalized, b = outgoing.normalized
        guard a != .zero, b != .zero, turnRadiusM.isFinite, turnRadiusM > 0 else { return 0 }
        let change = min(abs(Double.atan2(y: a.cross(b), x: a.dot(b))), maxCourseChangeRad)
        return turnRadiusM * Double.tan(change / 2)
    }

    /// How far before the corner `to` to leave the leg `from` → `to` for the leg to `next`, in the wind: the turn's
    /// radius over the ground at its fastest ground speed (now, or on the next leg when the turn is into a tailwind)
    /// and the roll limit; never more than half of either leg, so a short leg is still flown.
    public static func switchDistanceM(from: Vector3, to: Vector3, next: Vector3, state: GuidanceState,
                                       config: GuidanceConfig) -> Double {
        let incoming = NE(to) - NE(from), outgoing = NE(next) - NE(to)
        let airspeed = state.airspeedMps.isFinite ? max(state.airspeedMps, 0) : 0
        let groundSpeed = NE(state.velocityNEDMps).norm
        let speed = max(groundSpeed.isFinite ? groundSpeed : 0, airspeed,
                        Self.groundSpeedMps(along: outgoing, airspeedMps: airspeed, windNE: NE(state.windNEDMps)))
        let lead = switchDistanceM(incoming: incoming, outgoing: outgoing, turnRadiusM: config.turnRadiusM(speedMps: speed))
        return min(lead, incoming.norm / 2, outgoing.norm / 2)
    }

    /// The ground speed on a track along `outgoing` at `airspeedMps` in `windNE`: the along-track wind plus what is
    /// left of the airspeed after crabbing against the cross wind. A turn into a tailwind ends at this speed, so its
    /// radius over the ground ends there too: planned at the still-air radius, a turn downwind in 10 m/s of wind
    /// overshot the next leg by 26–56 m 100 m past the corner. Airspeed plus the whole wind where the cross wind is
    /// at least the airspeed (no track can be held; plan for the widest turn).
    static func groundSpeedMps(along outgoing: NE, airspeedMps: Double, windNE: NE) -> Double {
        let d = outgoing.normalized
        guard d != .zero, airspeedMps > 0, windNE.north.isFinite, windNE.east.isFinite else { return airspeedMps }
        let along = windNE.dot(d), cross = d.cross(windNE)
        guard abs(cross) < airspeedMps else { return airspeedMps + windNE.norm }
        return max(0, along + (airspeedMps * airspeedMps - cross * cross).squareRoot())
    }
}
