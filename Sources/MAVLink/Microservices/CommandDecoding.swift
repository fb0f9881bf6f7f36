/// A COMMAND_LONG or COMMAND_INT with its arguments in one shape: COMMAND_INT carries latitude/longitude as
/// integers (degE7) and a frame, COMMAND_LONG as float degrees in params 5/6 (less precise, altitude AMSL).
public struct CommandArguments: Equatable, Sendable {
    public var command: MAVCmd
    public var param1: Float
    public var param2: Float
    public var param3: Float
    public var param4: Float
    public var latitudeE7: Int32?
    public var longitudeE7: Int32?
    public var altitude: Float
    public var frame: MAVFrame

    public init(_ message: CommandLong) {
        command = message.command
        param1 = message.param1
        param2 = message.param2
        param3 = message.param3
        param4 = message.param4
        latitudeE7 = Self.degE7(message.param5)
        longitudeE7 = Self.degE7(message.param6)
        altitude = message.param7
        frame = .global
    }

    public init(_ message: CommandInt) {
        command = message.command
        param1 = message.param1
        param2 = message.param2
        param3 = message.param3
        param4 = message.param4
        // INT32_MAX means "no change" in COMMAND_INT.
        latitudeE7 = message.x == .max ? nil : message.x
        longitudeE7 = message.y == .max ? nil : message.y
        altitude = message.z
        frame = message.frame
    }

    private static func degE7(_ degrees: Float) -> Int32? {
        guard degrees.isFinite, abs(degrees) <= 180 else { return nil }
        return Int32((Double(degrees) * 1e7).rounded())
    }
}

/// What the link does with a command.
public enum LinkCommand: Equatable, Sendable {
    /// Hand to the model.
    case vehicle(VehicleCommand)
    /// Send one message (MAV_CMD_REQUEST_MESSAGE param1).
    case requestMessage(messageID: UInt32)
    /// Change a stream (MAV_CMD_SET_MESSAGE_INTERVAL): −1 off, 0 default, > 0 interval µs.
    case setMessageInterval(messageID: UInt32, intervalUs: Int64)
    /// Send AUTOPILOT_VERSION.
    case requestAutopilotCapabilities
    /// Answer with this result without doing anything.
    case refuse(MAVResult)
}

/// Turns command arguments into what the link does. Pure: no state, no model.
public enum CommandDecoding {
    /// param2 of MAV_CMD_COMPONENT_ARM_DISARM that asks to skip checks (MAVLink's magic number).
    public static let forceArmMagic: Float = 21196

    public static func decode(_ a: CommandArguments) -> LinkCommand {
        switch a.command {
        case .componentArmDisarm:
            let force = a.param2 == forceArmMagic
            if a.param1 == 1 { return .vehicle(.arm(force: force)) }
            if a.param1 == 0 { return .vehicle(.disarm(force: force)) }
            return .refuse(.denied)
        case .doSetMode:
            guard a.param1.isFinite, a.param1 >= 0, a.param1 <= 255,
                UInt8(a.param1) & MAVModeFlag.customModeEnabled.rawValue != 0
            else { return .refuse(.unsupported) }
            guard a.param2.isFinite, a.param2 >= 0, a.param2 <= 255, a.param2.rounded() == a.param2 else {
                return .refuse(.denied)
            }
            let mode = KestrelFlightMode(rawValue: UInt32(a.param2))
            switch mode {
            case .preflight, .launch, .mission, .loiter, .returnToLaunch, .flightTermination:
                return .vehicle(.setMode(mode))
            default:
                // Terminal and wave-off come only from the approval gate; anything else is not a Kestrel mode.
                return .refuse(.denied)
            }
        case .navReturnToLaunch:
            return .vehicle(.returnToLaunch)
        case .missionStart:
            // QGroundControl's "start mission": param1 first item, param2 last item. The vehicle flies its plan from
            // the current item to the end (0, 0); it cannot fly a sub-range, so any other range is denied.
            guard a.param1 == 0, a.param2 == 0 else { return .refuse(.denied) }
            return .vehicle(.setMode(.mission))
        case .doReposition:
            guard let lat = a.latitudeE7, let lon = a.longitudeE7, abs(lat) <= 900_000_000,
                abs(lon) <= 1_800_000_000, a.altitude.isFinite, let frame = LinkAltitudeFrame(a.frame)
            else { return .refuse(.denied) }
            let radius: Double? = a.param3.isFinite && a.param3 > 0 ? Double(a.param3) : nil
            return .vehicle(
                .reposition(
                    target: LinkPosition(
                        latitudeE7: lat, longitudeE7: lon, altitudeM: Double(a.altitude), altitudeFrame: frame),
                    loiterRadiusM: radius))
        case .kestrelRequestTerminal:
            return .vehicle(.requestTerminal)
        case .requestMessage:
            guard let id = messageID(a.param1) else { return .refuse(.denied) }
            return .requestMessage(messageID: id)
        case .setMessageInterval:
            guard let id = messageID(a.param1), a.param2.isFinite, a.param2 >= -1, a.param2 < 1e10 else {
                return .refuse(.denied)
            }
            return .setMessageInterval(messageID: id, intervalUs: Int64(a.param2))
        case .requestAutopilotCapabilities:
            return .requestAutopilotCapabilities
        default:
            return .refuse(.unsupported)
        }
    }

    private static func messageID(_ value: Float) -> UInt32? {
        guard value.isFinite, value >= 0, value < 16_777_216, value.rounded() == value else { return nil }
        return UInt32(value)
    }
}
