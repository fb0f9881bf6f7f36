import DeviceIO

/// Reads the hardware safety switch from a digital input (active = ARM) and keeps the gate's view of it current.
/// Polls without blocking; debouncing is the input's job (configure `DigitalInputConfig.debounceUs`).
public final class SafetySwitch<Input: DigitalInput> {
    public let input: Input
    public private(set) var position: ArmingSafetyGate.SwitchPosition

    /// Reads the current level once so the first `poll` already has a position.
    public init(input: Input) throws(DeviceError) {
        self.input = input
        position = try input.readLevel() ? .arm : .safe
    }

    /// Feeds every pending edge to `gate` in order, so a SAFE flick between two polls still disarms even if
    /// the switch is back at ARM by the time we look.
    public func apply(to gate: inout ArmingSafetyGate) throws(DeviceError) {
        while let edge = try input.nextEdge() {
            position = edge.isActive ? .arm : .safe
            gate.updateSwitch(position)
        }
        gate.updateSwitch(position)
    }

    /// As `apply(to:)`, at `nowUs`, with SAFE held for `inFlightHoldUs` before it cuts live outputs in flight (nil
    /// on the ground). A SAFE flick between two polls starts a hold and the ARM after it ends it.
    public func apply(to gate: inout ArmingSafetyGate, nowUs: UInt64, inFlightHoldUs: UInt64?) throws(DeviceError) {
        while let edge = try input.nextEdge() {
            position = edge.isActive ? .arm : .safe
            gate.updateSwitch(position, atUs: nowUs, inFlightHoldUs: inFlightHoldUs)
        }
        gate.updateSwitch(position, atUs: nowUs, inFlightHoldUs: inFlightHoldUs)
    }
}
