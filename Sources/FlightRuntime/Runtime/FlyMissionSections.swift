import Mission
import Vehicle

/// The autopilot's sections of a mission file for `kestrel fly`, beside the plan's `[[items]]`/`[designation]`:
/// the `[geofence]` and `[failsafe]` tables (`GeofenceSection`, `FailsafeSection`, as a SITL scenario has them), and the vehicle
/// id approvals are bound to.
///
///     [vehicle]
///     id = 0x4B45535400000001
struct FlyMissionSections: Decodable, Sendable {
    var geofence: GeofenceSection?
    var failsafe: FailsafeSection?
    var vehicle: VehicleSection?

    struct VehicleSection: Decodable, Sendable {
        var id: Int64
    }

    /// Top-level tables of a mission file that `MissionFile` reads.
    static let planSections: Set<String> = ["items", "designation"]
    /// Top-level tables this type reads.
    static let ownSections: Set<String> = ["geofence", "failsafe", "vehicle"]
}
