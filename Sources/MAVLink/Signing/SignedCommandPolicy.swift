/// "State-changing commands require a valid signature once a key is configured."
///
/// The rule is an allow-list: once a key is configured, only the read-only requests and replies listed here are
/// taken from unsigned (or unchecked) frames; every other message (including ids this build does not know) needs
/// `.verified`. Without a key everything is admitted, as MAVLink without signing does.
public enum SignedCommandPolicy {
    /// Messages a ground station may send unsigned: each only asks for an answer and changes no state of the
    /// vehicle or its services. (HEARTBEAT is taken, but an unsigned one neither counts as ground contact nor makes
    /// its sender a udpin peer.) MISSION_ACK is not here: it ends a transfer, so an unsigned one could cancel a
    /// signed upload; PARAM_REQUEST_LIST is not here either: it restarts the list another station is reading.
    public static func isReadOnly(messageID: UInt32) -> Bool {
        switch messageID {
        case Heartbeat.messageID, Ping.messageID, SystemTime.messageID, Timesync.messageID,
            ParamRequestRead.messageID,
            MissionRequestList.messageID, MissionRequest.messageID, MissionRequestInt.messageID:
            true
        default:
            false
        }
    }

    /// Commands (COMMAND_LONG / COMMAND_INT) that only ask for information.
    public static func isReadOnly(command: MAVCmd) -> Bool {
        switch command {
        case .requestMessage, .requestAutopilotCapabilities, .requestProtocolVersion: true
        default: false
        }
    }

    /// Whether `frame` needs a verified signature.
    public static func requiresSignature(_ frame: ReceivedFrame) -> Bool {
        if let command = frame.decode(CommandLong.self) { return !isReadOnly(command: command.command) }
        if let command = frame.decode(CommandInt.self) { return !isReadOnly(command: command.command) }
        return !isReadOnly(messageID: frame.messageID)
    }

    /// Whether the vehicle may act on `frame`.
    public static func admits(_ frame: ReceivedFrame, signingKeyConfigured: Bool) -> Bool {
        guard signingKeyConfigured else { return true }
        if case .verified = frame.authentication { return true }
        return !requiresSignature(frame)
    }
}
