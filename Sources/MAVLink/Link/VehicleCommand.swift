import FlightMath

/// A command the link decoded from COMMAND_LONG / COMMAND_INT and hands to the model. Commands the link answers
/// itself (message requests and intervals, capabilities) never reach the model.
public enum VehicleCommand: Equatable, Sendable {
    /// MAV_CMD_COMPONENT_ARM_DISARM param1 = 1. `force` (param2 = 21196) asks to skip pre-arm checks.
    case arm(force: Bool)
    /// MAV_CMD_COMPONENT_ARM_DISARM param1 = 0.
    case disarm(force: Bool)
    /// MAV_CMD_DO_SET_MODE with MAV_MODE_FLAG_CUSTOM_MODE_ENABLED. Never `.terminal` or `.waveOff`: the link
    /// refuses those itself, the terminal phase is entered only through the approval gate.
    case setMode(KestrelFlightMode)
    /// MAV_CMD_NAV_RETURN_TO_LAUNCH.
    case returnToLaunch
    /// MAV_CMD_DO_REPOSITION: loiter at `target` (radius nil = the vehicle's default).
    case reposition(target: LinkPosition, loiterRadiusM: Double?)
    /// MAV_CMD_KESTREL_REQUEST_TERMINAL (kestrel.xml): ask the gate to issue an approval request. Asking approves
    /// nothing; the terminal phase still needs a signed approval of the request the gate issues.
    case requestTerminal
}

/// A commanded or planned position as it came over the link: integer degrees × 10⁷ and an altitude in the frame
/// the ground station chose. The autopilot converts it with its home and geoid.
public struct LinkPosition: Equatable, Sendable {
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    public var altitudeM: Double
    public var altitudeFrame: LinkAltitudeFrame

    public init(latitudeE7: Int32, longitudeE7: Int32, altitudeM: Double, altitudeFrame: LinkAltitudeFrame) {
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.altitudeM = altitudeM
        self.altitudeFrame = altitudeFrame
    }

    public var latitudeDeg: Double { Double(latitudeE7) * 1e-7 }
    public var longitudeDeg: Double { Double(longitudeE7) * 1e-7 }
}

/// Altitude datum of a position (MAV_FRAME_GLOBAL[_INT] and MAV_FRAME_GLOBAL_RELATIVE_ALT[_INT]).
public enum LinkAltitudeFrame: Equatable, Sendable {
    /// Above mean sea level.
    case amsl
    /// Above the home position.
    case relativeToHome

    /// The frame of a MAVLink frame value, or nil for frames Kestrel does not fly (local, terrain, body).
    public init?(_ frame: MAVFrame) {
        switch frame {
        case .global, .globalInt: self = .amsl
        case .globalRelativeAlt, .globalRelativeAltInt: self = .relativeToHome
        default: return nil
        }
    }

    /// The `_INT` frame used in MISSION_ITEM_INT / COMMAND_INT.
    public var mavFrame: MAVFrame { self == .amsl ? .globalInt : .globalRelativeAltInt }
}

extension KestrelFlightMode: CustomStringConvertible {
    public var description: String {
        switch self {
        case .preflight: "preflight"
        case .launch: "launch"
        case .mission: "mission"
        case .loiter: "loiter"
        case .returnToLaunch: "return to launch"
        case .terminal: "terminal"
        case .waveOff: "wave-off"
        case .flightTermination: "flight termination"
        default: "mode \(rawValue)"
        }
    }
}
