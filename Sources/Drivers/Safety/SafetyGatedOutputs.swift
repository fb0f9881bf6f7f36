import DeviceIO

/// Wraps an output bank so that nothing but safe pulse widths reaches it unless the `ArmingSafetyGate` is live.
/// Moving the switch to SAFE or disarming writes the safe values at once, not at the next control tick.
public final class SafetyGatedOutputs<Outputs: PWMOutputs>: PWMOutputs {
    public let outputs: Outputs
    public private(set) var gate = ArmingSafetyGate()

    public init(outputs: Outputs) throws(DeviceError) {
        self.outputs = outputs
        try outputs.applySafeValues()
    }

    public var channelCount: Int { outputs.channelCount }
    public func safePulseUs(channel: Int) -> UInt16 { outputs.safePulseUs(channel: channel) }

    public func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        let pulse = gate.gatedPulseUs(commandedUs: pulseUs, safeUs: outputs.safePulseUs(channel: channel))
        try outputs.setPulseWidth(channel: channel, pulseUs: pulse)
    }

    public func setEnabled(_ enabled: Bool) throws(DeviceError) { try outputs.setEnabled(enabled) }
    public func beginBatch() { outputs.beginBatch() }
    public func commitBatch() throws(DeviceError) { try outputs.commitBatch() }
    public var reconfigurations: UInt64 { outputs.reconfigurations }

    public func updateSwitch(_ position: ArmingSafetyGate.SwitchPosition) throws(DeviceError) {
        let wasLive = gate.outputsLive
        gate.updateSwitch(position)
        if wasLive && !gate.outputsLive { try outputs.applySafeValues() }
    }

    /// Applies the switch's pending edges in order; any SAFE among them drops the outputs to safe at once.
    public func update<Input: DigitalInput>(from safetySwitch: SafetySwitch<Input>) throws(DeviceError) {
        let wasLive = gate.outputsLive
        try safetySwitch.apply(to: &gate)
        if wasLive && !gate.outputsLive { try outputs.applySafeValues() }
    }

    /// As `update(from:)` at `nowUs`, with an in-flight SAFE held for `inFlightHoldUs` before the outputs drop to
    /// safe (nil on the ground: at once).
    public func update<Input: DigitalInput>(from safetySwitch: SafetySwitch<Input>, nowUs: UInt64,
                                            inFlightHoldUs: UInt64?) throws(DeviceError) {
        let wasLive = gate.outputsLive
        try safetySwitch.apply(to: &gate, nowUs: nowUs, inFlightHoldUs: inFlightHoldUs)
        if wasLive && !gate.outputsLive { try outputs.applySafeValues() }
    }

    public func arm() throws(ArmingSafetyGate.ArmRefusal) { try gate.arm() }

    public func disarm() throws(DeviceError) {
        gate.disarm()
        try outputs.applySafeValues()
    }
}
