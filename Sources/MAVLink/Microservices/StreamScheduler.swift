/// Which periodic messages are due. A fixed table (no allocation) of the streamable messages with their interval,
/// changed by MAV_CMD_SET_MESSAGE_INTERVAL, plus one-shot requests (MAV_CMD_REQUEST_MESSAGE).
///
/// A due stream's next time advances by whole intervals from its previous due time (no drift), but never stays
/// in the past: after a stall it resumes one interval after now instead of sending a burst.
public struct StreamScheduler: Sendable {
    public static let capacity = 16

    struct Entry: Sendable {
        var messageID: UInt32 = 0
        var defaultIntervalUs: UInt64 = 0
        var intervalUs: UInt64 = 0  // 0: off
        var nextDueUs: UInt64 = 0
        var requested = false
    }

    private var entries = InlineArray<16, Entry>(repeating: Entry())
    public private(set) var count = 0

    /// The default stream table of Kestrel: message id and default interval (0: only on request).
    public static let kestrelDefaults: [(messageID: UInt32, intervalUs: UInt64)] = [
        (Heartbeat.messageID, 1_000_000),
        (SysStatus.messageID, 1_000_000),
        (GPSRawInt.messageID, 500_000),
        (Attitude.messageID, 100_000),
        (GlobalPositionInt.messageID, 200_000),
        (MissionCurrent.messageID, 1_000_000),
        (VFRHUD.messageID, 250_000),
        (BatteryStatus.messageID, 1_000_000),
        (HomePosition.messageID, 5_000_000),
        (ExtendedSysState.messageID, 1_000_000),
        (TerminalStatus.messageID, 1_000_000),
        (AutopilotVersion.messageID, 0),
        // Off unless a ground station asks (SET_MESSAGE_INTERVAL or REQUEST_MESSAGE).
        (SystemTime.messageID, 0),
    ]

    public init(streams: [(messageID: UInt32, intervalUs: UInt64)] = StreamScheduler.kestrelDefaults) {
        for stream in streams.prefix(Self.capacity) {
            entries[count] = Entry(
                messageID: stream.messageID, defaultIntervalUs: stream.intervalUs, intervalUs: stream.intervalUs,
                nextDueUs: 0)
            count += 1
        }
    }

    private func slot(of messageID: UInt32) -> Int? {
        for index in 0..<count where entries[index].messageID == messageID { return index }
        return nil
    }

    public func isKnown(_ messageID: UInt32) -> Bool { slot(of: messageID) != nil }

    /// Current interval of a stream, µs (0 off), or nil if the message is not streamable.
    public func intervalUs(of messageID: UInt32) -> UInt64? {
        slot(of: messageID).map { entries[$0].intervalUs }
    }

    /// MAV_CMD_SET_MESSAGE_INTERVAL semantics: `intervalUs` −1 stops the stream, 0 restores the default, > 0 sets
    /// it (limited to at most `maxRateHz`). HEARTBEAT stays at 1 Hz: ground stations rely on it for link state.
    public mutating func setInterval(
        messageID: UInt32, intervalUs: Int64, nowUs: UInt64, maxRateHz: UInt64 = 50
    ) -> MAVResult {
        guard let index = slot(of: messageID) else { return .unsupported }
        guard messageID != Heartbeat.messageID else { return .denied }
        switch intervalUs {
        case -1: entries[index].intervalUs = 0
        case 0: entries[index].intervalUs = entries[index].defaultIntervalUs
        case let value where value > 0:
            entries[index].intervalUs = max(UInt64(value), 1_000_000 / max(maxRateHz, 1))
        default: return .denied
        }
        entries[index].nextDueUs = nowUs
        return .accepted
    }

    /// Asks for one message at the next poll.
    public mutating func request(messageID: UInt32) -> Bool {
        guard let index = slot(of: messageID) else { return false }
        entries[index].requested = true
        return true
    }

    /// Next due message at `nowUs`, already rescheduled; call until nil.
    public mutating func nextDue(nowUs: UInt64) -> UInt32? {
        for index in 0..<count {
            if entries[index].requested {
                entries[index].requested = false
                return entries[index].messageID
            }
            let interval = entries[index].intervalUs
            guard interval > 0, nowUs >= entries[index].nextDueUs else { continue }
            var next = entries[index].nextDueUs &+ interval
            if next <= nowUs { next = nowUs &+ interval }
            entries[index].nextDueUs = next
            return entries[index].messageID
        }
        return nil
    }
}
