import Control
import DeviceIO
import Drivers
import Board

/// Why the outputs could not be set up.
public struct OutputSetupError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "outputs: \(reason)" }
}

/// What the output stage met on its device since start (the daemon's exit report).
public struct OutputCounts: Sendable, Equatable {
    public var writeFailures: UInt64 = 0
    public var reconfigurations: UInt64 = 0
    public init(writeFailures: UInt64 = 0, reconfigurations: UInt64 = 0) {
        self.writeFailures = writeFailures
        self.reconfigurations = reconfigurations
    }
}

/// The mixer and the board's output bank behind the arming safety gate: normalised commands → pulse widths per
/// mixer channel → the board channel wired to the same function. Pulses reach the servos only while the hardware
/// switch is in ARM and the software is armed (`SafetyGatedOutputs`); otherwise every output holds its safe pulse.
public final class OutputStage {
    public let mixer: OutputMixer
    public let gated: SafetyGatedOutputs<MappedPWMOutputs>
    private let safetySwitch: SafetySwitch<AnyDigitalInput>?
    private let inFlightHoldUs: UInt64
    /// Told when the software arm changes (`BoardHardware.outputsArmedChanged`).
    private let hardware: any BoardHardware
    /// Bank index of each mixer channel (−1: the function is not wired on this board). A constant, so reading it
    /// costs no exclusivity check per channel.
    private let bankIndex: InlineArray<16, Int>
    public private(set) var lastPulses: OutputPulses
    public private(set) var writeFailures: UInt64 = 0
    /// The last tick's write reached the output device.
    public private(set) var lastWriteSucceeded = true
    /// Times the output device was found reset and configured again (a PCA9685 after a supply dip).
    public var reconfigurations: UInt64 { gated.reconfigurations }

    /// Every mixer channel with a function must find a board channel wired to that function.
    public init(mixer config: MixerConfig, devices: BoardDevices) throws(OutputSetupError) {
        guard let bank = devices.outputs else { throw OutputSetupError("the board's output bank did not open") }
        mixer = OutputMixer(config: config)
        var bankIndex = InlineArray<16, Int>(repeating: -1)
        let boardChannels = devices.board.pwm.channels
        for index in 0..<mixer.channelCount {
            guard let channel = mixer.channel(index), channel.function != .none else { continue }
            guard let b = boardChannels.firstIndex(where: { $0.function == channel.function }) else {
                throw OutputSetupError("mixer channel \(index + 1) drives '\(channel.function.rawValue)', which board "
                                       + "'\(devices.board.name)' has no [[pwm.channels]] entry for")
            }
            bankIndex[index] = b
        }
        self.bankIndex = bankIndex
        do {
            gated = try SafetyGatedOutputs(outputs: MappedPWMOutputs(base: bank,
                                                                    hardwareChannels: Array(0..<bank.channelCount)))
            try gated.setEnabled(true)
        } catch {
            throw OutputSetupError("\(error)")
        }
        safetySwitch = devices.safetySwitch
        hardware = devices.hardware
        inFlightHoldUs = UInt64((devices.board.safetySwitch.inFlightHoldMs * 1000).rounded())
        lastPulses = OutputPulses(count: mixer.channelCount)
    }

    /// Outputs are live: switch in ARM and software armed.
    public var isLive: Bool { gated.gate.outputsLive }

    /// Reads the safety switch. On the ground a SAFE edge drops the outputs to safe at once; in flight SAFE must
    /// persist for the board's `in_flight_hold_ms` first.
    public func updateSwitch(nowUs: UInt64, inFlight: Bool) {
        guard let safetySwitch else { return }
        do {
            try gated.update(from: safetySwitch, nowUs: nowUs, inFlightHoldUs: inFlight ? inFlightHoldUs : nil)
        } catch { writeFailures &+= 1 }
    }

    /// Arms the software side of the gate; refused while the switch is SAFE.
    @discardableResult public func arm() -> Bool {
        do { try gated.arm() } catch { return false }
        hardware.outputsArmedChanged(true)
        return true
    }

    public func disarm() {
        do { try gated.disarm() } catch { writeFailures &+= 1 }
        hardware.outputsArmedChanged(false)
    }

    /// The stage's state into a tick's output.
    func publish(into output: inout TickOutput) {
        let gate = gated.gate
        output.pulses = lastPulses
        output.outputsLive = gate.outputsLive
        output.safetySwitchHeldSinceUs = gate.safeHeldSinceUs
        output.safetySwitchCutsAfterHold = gate.cutsAfterHold
        output.outputsWritten = lastWriteSucceeded
        output.outputWriteFailures = writeFailures
        output.outputReconfigurations = gated.reconfigurations
    }

    /// Mixes and writes one tick's commands.
    public func write(_ commands: ActuatorCommands) {
        let pulses = mixer.mix(commands, armed: isLive)
        lastPulses = pulses
        // One batch: a PCA9685 gets the tick's channels in one auto-increment block write, not one per channel.
        gated.beginBatch()
        var succeeded = true
        for index in 0..<pulses.count {
            let b = bankIndex[index]
            guard b >= 0, let pulse = pulses.pulseUs(channel: index) else { continue }
            do { try gated.setPulseWidth(channel: b, pulseUs: pulse) } catch {
                writeFailures &+= 1
                succeeded = false
            }
        }
        do { try gated.commitBatch() } catch {
            writeFailures &+= 1
            succeeded = false
        }
        lastWriteSucceeded = succeeded
    }
}
