/// Why the model refused an uploaded mission or a clear: the MISSION_ACK result plus a one-line reason for the
/// operator (sent as STATUSTEXT, cut to 50 bytes).
public struct MissionRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var result: MAVMissionResult
    public var reason: String

    public init(result: MAVMissionResult, reason: String) {
        self.result = result
        self.reason = reason
    }

    public var description: String { "mission refused (MAV_MISSION_RESULT \(result.rawValue)): \(reason)" }
}
