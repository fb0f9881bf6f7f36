/// The output safety interlock: pulses reach the servos and motor only while the hardware safety switch is in
/// ARM *and* the software is armed. Moving the switch to SAFE disarms the software at once, so flipping it back
/// to ARM never makes the outputs live again without a new arm command.
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

    public private(set) var switchPosition: SwitchPosition
    public private(set) var softwareArmed: Bool

    /// Starts disarmed with the switch assumed SAFE until it is read.
    public init() {
        switchPosition = .safe
        softwareArmed = false
    }

    /// True when commanded pulses may reach the outputs.
    public var outputsLive: Bool { switchPosition == .arm && softwareArmed }

    public mutating func updateSwitch(_ position: SwitchPosition) {
        switchPosition = position
        if position == .safe { softwareArmed = false }
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
