import Mission
import Vehicle

/// A mission change from the ground or a mission built for the navigation origin, prepared (converted, checked,
/// built: all the allocating work) on the telemetry thread and handed to the real-time thread by reference through
/// `RuntimeChannels.missions`. The real-time thread only installs it (while disarmed), swapping the mission it
/// replaces into the box, answers through `replies` with the same sequence, and hands the box back through
/// `returnedMissions`, so both missions are released on the telemetry thread, never on the real-time one.
final class MissionHandoff: @unchecked Sendable {
    let sequence: UInt32
    /// In: the mission to install (`.none` clears it). Out: the mission it replaced.
    var mission: PreparedMission

    init(sequence: UInt32, mission: PreparedMission) {
        self.sequence = sequence
        self.mission = mission
    }
}
