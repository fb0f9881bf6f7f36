import Mission

/// A mission change from the ground, built (converted, allocated) on the telemetry thread and handed to the
/// real-time thread by reference through `RuntimeChannels.missions`. The real-time thread applies it to the flight
/// stack (only while disarmed), answers through `replies` with the same sequence, and hands the box back through
/// `returnedMissions`, so it is released on the telemetry thread, never on the real-time one.
final class MissionHandoff: @unchecked Sendable {
    let sequence: UInt32
    /// The new plan; nil clears the mission.
    let file: MissionFile?

    init(sequence: UInt32, file: MissionFile?) {
        self.sequence = sequence
        self.file = file
    }
}
