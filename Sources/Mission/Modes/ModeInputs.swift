import FlightMath
import Guidance

/// What the vehicle knows at one mission tick, as the mode machine needs it. Filled by the autopilot from the
/// estimator, the plan sequencer, the link and the board.
public struct ModeInputs: Sendable {
    /// Estimated position in the NED frame of home.
    public var positionNEDM: Vector3
    public var attitudeValid: Bool
    /// Horizontal position usable for navigation (estimator healthy and GPS-aided).
    public var positionValid: Bool
    public var gpsHealthy: Bool
    public var armSwitchInArm: Bool
    /// The last valid ground-station heartbeat, or nil if none was ever heard.
    public var lastGroundContactUs: UInt64?
    public var batteryVoltageV: Double
    public var launchDetected: Bool
    /// What the plan sequencer would fly in mission mode now, and whether the plan is finished.
    public var missionCommand: NavigationCommand
    public var missionComplete: Bool
    /// Guidance progress on the current command.
    public var loiterCaptured: Bool
    public var approachPhase: ApproachGeometry.Phase?
    /// UTC now (µs since 1970) from the GPS-disciplined clock, nil until a receiver has reported UTC. The approval
    /// gate runs on it: a request's expiry must mean the same instant to the vehicle and to the operator.
    public var utcTimeUs: UInt64?

    /// The launch's expected airspeed, checked at arming; nil when the airframe names no launcher speed.
    public var launch: LaunchAirspeedCheck?

    public init(positionNEDM: Vector3 = .zero, attitudeValid: Bool = false, positionValid: Bool = false,
                gpsHealthy: Bool = false, armSwitchInArm: Bool = false, lastGroundContactUs: UInt64? = nil,
                batteryVoltageV: Double = .nan, launchDetected: Bool = false, missionCommand: NavigationCommand = .none,
                missionComplete: Bool = false, loiterCaptured: Bool = false,
                approachPhase: ApproachGeometry.Phase? = nil, utcTimeUs: UInt64? = nil,
                launch: LaunchAirspeedCheck? = nil) {
        self.positionNEDM = positionNEDM; self.attitudeValid = attitudeValid; self.positionValid = positionValid
        self.gpsHealthy = gpsHealthy; self.armSwitchInArm = armSwitchInArm
        self.lastGroundContactUs = lastGroundContactUs; self.batteryVoltageV = batteryVoltageV
        self.launchDetected = launchDetected; self.missionCommand = missionCommand
        self.missionComplete = missionComplete; self.loiterCaptured = loiterCaptured
        self.approachPhase = approachPhase; self.utcTimeUs = utcTimeUs; self.launch = launch
    }

    public var heightM: Double { -positionNEDM.z }
}

/// Requests from the operator (ground link, or a scripted operator in SITL).
public enum OperatorCommand: Sendable {
    case arm
    case disarm
    /// Fly the plan (from standby this waits for the launch).
    case startMission
    /// Orbit where the vehicle is.
    case holdHere
    /// Orbit a given point (NED of home; its height is the orbit's), radius nil = the policy's hold radius.
    case holdAt(centerNEDM: Vector3, radiusM: Double?)
    case returnToLaunch
    /// Ask for the terminal phase over the plan's designation: issues a signed-approval request.
    case requestTerminal
    /// A signed approval or wave-off from an operator.
    case approval(Approval)
}
