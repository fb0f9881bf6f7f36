import FlightMath
import Mission
import Vehicle

/// The vehicle's sections of a closed-loop scenario file: the scripted operator, and the geofence and failsafe
/// tables a mission file has too (`GeofenceSection`, `FailsafeSection`). The plant reads the rest of the file.
public struct ScenarioMissionSections: Decodable, Sendable {
    public var `operator`: OperatorScriptFile?
    public var geofence: GeofenceSection?
    public var failsafe: FailsafeSection?

    enum CodingKeys: String, CodingKey { case `operator`, geofence, failsafe }
}
