/// The output safety interlock: pulses reach the servos and motor only while the hardware safety switch is in
/// ARM *and* the software is armed. Moving the switch to SAFE disarms the software at once, so flipping it back
/// to ARM never makes the outputs live again without a new arm command.
///
/// In flight a SAFE reading must persist for a hold time before it cuts the outputs (`updateSwitch(_:atUs:
/// inFlightHoldUs:)`): a loose connector or a bounce that outlives the input's debounce would otherwise stop the
/// motor and drop the surfaces to their safe pulses in the air. On the ground SAFE acts at once.
///
/// A pure value type: the autopilot feeds it switch positions and arm/disarm requests and asks it what to send.
public struct ArmingSafetyGate: Hashable, Sendable {
    public enum SwitchPosition: Hashable, Sendable { case safe, arm }

    public enum ArmRefusal: Error, Hashable, Sendable, CustomStringConvertible {
        case safetySwitchInSafe

        public var description: String {
            switch self {
            case .safetySwitchInSafe: return "arming refused: the safety switch is in SAFE; move it to ARM first"
            }
        }
    }

    /// The position the gate acts on: ARM during an in-flight hold, although the line already reads SAFE.
    public private(set) var switchPosition: SwitchPosition
    public private(set) var softwareArmed: Bool
    /// When the line went to SAFE in flight while the outputs were live; nil when no hold is running.
    public private(set) var safeHeldSinceUs: UInt64?
    /// In-flight SAFE readings that outlasted the hold and cut the outputs.
    public private(set) var cutsAfterHold: UInt32 = 0

    /// Starts disarmed with the switch assumed SAFE until it is read.
    public init() {
        switchPosition = .safe
        softwareArmed = false
    }

    /// True when commanded pulses may reach the outputs.
    public var outputsLive: Bool { switchPosition == .arm && softwareArmed }

    /// The switch read `position`; SAFE acts at once.
    public mutating func updateSwitch(_ position: SwitchPosition) {
        switchPosition = position
        safeHeldSinceUs = nil
        if position == .safe { softwareArmed = false }
    }

    /// The switch read `position` at `nowUs`. `inFlightHoldUs`: nil on the ground (SAFE acts at once); in flight,
    /// how long SAFE must persist before it cuts live outputs (0: at once). ARM within the hold ends it, outputs
    /// untouched.
    public mutating func updateSwitch(_ position: SwitchPosition, atUs nowUs: UInt64, inFlightHoldUs: UInt64?) {
        guard position == .safe, let hold = inFlightHoldUs, hold > 0, outputsLive || safeHeldSinceUs != nil else {
            updateSwitch(position)
            return
        }
        let since = safeHeldSinceUs ?? nowUs
        guard nowUs >= since, nowUs - since >= hold else {
            safeHeldSinceUs = since
            return
        }
        updateSwitch(.safe)
        cutsAfterHold &+= 1
    }

    /// Arms the software; refused while the switch is SAFE.
    public mutating func arm() throws(ArmRefusal) {
        guard switchPosition == .arm else { throw .safetySwitchInSafe }
        softwareArmed = true
    }

    public mutating func disarm() {
        softwareArmed = false
    }

    /// The pulse to send for one channel: the commanded one when live, the safe one otherwise.
    @inlinable public func gatedPulseUs(commandedUs: UInt16, safeUs: UInt16) -> UInt16 {
        outputsLive ? commandedUs : safeUs
    }
}
