import Mission

/// The autopilot's sections of a mission file for `kestrel fly`, beside the plan's `[[items]]`/`[designation]`:
/// the same `[geofence]` and `[failsafe]` tables as a SITL scenario (`ScenarioMissionSections`), and the vehicle
/// id approvals are bound to.
///
///     [vehicle]
///     id = 0x4B45535400000001
struct FlyMissionSections: Decodable, Sendable {
    var geofence: ScenarioMissionSections.GeofenceSection?
    var failsafe: ScenarioMissionSections.FailsafeSection?
    var vehicle: VehicleSection?

    struct VehicleSection: Decodable, Sendable {
        var id: Int64
    }

    /// Top-level tables of a mission file that `MissionFile` reads.
    static let planSections: Set<String> = ["items", "designation"]
    /// Top-level tables this type reads.
    static let ownSections: Set<String> = ["geofence", "failsafe", "vehicle"]
}
