import FlightMath
import Guidance

/// What the mode machine asks guidance to fly, in the local NED frame of home (down = −height above home).
/// Guidance turns it into roll, height and airspeed setpoints; the mode machine never computes setpoints itself.
public enum NavigationCommand: Equatable, Sendable {
    /// On the ground: no guidance, control integrators frozen, outputs at their disarmed/idle values.
    case none
    /// Wings level on `headingRad` at the launch pitch and full throttle until `climbToHeightM` above home.
    case launch(headingRad: Double, climbToHeightM: Double)
    /// Fly the straight leg `fromNEDM` → `toNEDM` (plan item `itemIndex`), at the target's height. `nextNEDM` is the
    /// end of the leg after it, when that is a straight leg too: guidance leaves this one early enough for its turn
    /// (a turn into a tailwind needs more room than the plan's still-air anticipation in `acceptanceRadiusM` gives).
    case waypoint(itemIndex: Int, fromNEDM: Vector3, toNEDM: Vector3, acceptanceRadiusM: Double, nextNEDM: Vector3?)
    /// Hold `orbit` (plan item `itemIndex`, or −1 for a hold that is not a plan item).
    case loiter(itemIndex: Int, orbit: LoiterOrbit)
    /// Straight to home, then orbit there at `heightM`.
    case returnToLaunch(homeNEDM: Vector3, heightM: Double)
    /// The approved terminal approach.
    case terminalApproach(ApproachGeometry)
    /// Constant-bank orbit holding `heightM` on baro height, for when position is not usable.
    case failsafeOrbit(bankRad: Double, heightM: Double)
}
