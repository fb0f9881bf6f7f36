import DeviceIO
import Drivers

/// The supervisor thread's way to safe outputs, sharing nothing with the real-time thread's output bank: a writer
/// of the safe pulses on handles of its own (its own `/dev/i2c-N` descriptor for a PCA9685, its own `duty_cycle`
/// files for sysfs PWM) and, where the board wires it, the PCA9685's OE line, which needs no bus at all.
///
/// Only the supervisor uses it (on a stalled loop, and at exit once the real-time thread has ended), so it needs
/// no lock of its own; the kernel serialises its transfers with the real-time thread's.
public final class SupervisorSafeOutputs: @unchecked Sendable {
    public let writer: (any SafePulseWriter)?
    public let outputEnable: (any DigitalOutput)?
    /// The OE line is holding every output off (the safe pulses could not be written).
    public private(set) var heldOff = false

    /// What one `driveSafe()` achieved, for the supervisor's log line.
    public struct Outcome: Equatable, Sendable {
        /// The safe pulses were written through the supervisor's own handle.
        public var pulsesWritten: Bool
        /// Every output is off through the OE line (the pulses could not be written).
        public var heldOffByOutputEnable: Bool
        /// Why the pulses or the OE line failed, if either did.
        public var failures: [String]

        public var summary: String {
            var parts: [String] = []
            if pulsesWritten { parts.append("safe pulses written") }
            if heldOffByOutputEnable { parts.append("every output held off by the OE line") }
            if !pulsesWritten && !heldOffByOutputEnable { parts.append("OUTPUTS NOT MADE SAFE") }
            return (parts + failures).joined(separator: "; ")
        }
    }

    public init(writer: (any SafePulseWriter)?, outputEnable: (any DigitalOutput)?) {
        self.writer = writer
        self.outputEnable = outputEnable
    }

    /// Opens the supervisor's handles for `board` on `hardware`, after `BoardDevices` brought the outputs up. A
    /// handle that cannot be opened is returned as an error (the daemon refuses to fly without a safe path).
    public static func open(board: BoardConfig, hardware: any BoardHardware)
        -> (outputs: SupervisorSafeOutputs, errors: [BoardDeviceError])
    {
        var errors: [BoardDeviceError] = []
        let channels = board.pwm.channels
        var writer: (any SafePulseWriter)?
        var outputEnable: (any DigitalOutput)?
        switch board.pwm.driver {
        case .pca9685(let busNumber, let address, let oscillatorHz):
            let device = "PCA9685 at \(hexAddress(address)) on I2C bus \(busNumber), supervisor's handle"
                + hardware.deviceNameSuffix
            var safe = [UInt16](repeating: 0, count: (channels.map(\.channel).max() ?? 0) + 1)
            for ch in channels { safe[ch.channel] = ch.safeUs }
            do throws(DeviceError) {
                let bus = AnyI2CBus(try hardware.supervisorI2CBus(busNumber))
                do {
                    writer = try PCA9685SafeWriter(
                        bus: bus, address: address,
                        config: PCA9685Config(bank: PWMBankConfig(frequencyHz: board.pwm.frequencyHz, safePulseUs: safe),
                                              oscillatorHz: oscillatorHz))
                } catch {
                    errors.append(BoardDeviceError(role: .pwm, device: device, cause: .driver(error)))
                }
            } catch {
                errors.append(BoardDeviceError(role: .pwm, device: device, cause: .device(error)))
            }
            if let line = board.pwm.outputEnable {
                do {
                    outputEnable = try hardware.outputEnableLine(line)
                } catch {
                    errors.append(BoardDeviceError(
                        role: .outputEnable, device: "\(line.gpioChip) line \(line.line)\(hardware.deviceNameSuffix)",
                        cause: .device(error)))
                }
            }
        case .sysfs(let chip):
            do {
                writer = try hardware.supervisorSysfsPWM(
                    chip: chip, channels: channels.map(\.channel),
                    config: PWMBankConfig(frequencyHz: board.pwm.frequencyHz, safePulseUs: channels.map(\.safeUs)))
            } catch {
                errors.append(BoardDeviceError(
                    role: .pwm, device: "/sys/class/pwm/pwmchip\(chip), supervisor's files\(hardware.deviceNameSuffix)",
                    cause: .device(error)))
            }
        }
        return (SupervisorSafeOutputs(writer: writer, outputEnable: outputEnable), errors)
    }

    /// The real-time loop has stalled, or the daemon is stopping. The OE line (when wired) turns every output off at
    /// once, whatever state the bus is in; then the safe pulses go out on the supervisor's own handle, and once they
    /// are written the OE line lets them through (surfaces at neutral glide better than limp ones). If they cannot
    /// be written (a stuck bus), the outputs stay off rather than holding the stalled loop's last command.
    @discardableResult
    public func driveSafe() -> Outcome {
        var outcome = Outcome(pulsesWritten: false, heldOffByOutputEnable: false, failures: [])
        var offByPin = false
        if let outputEnable {
            do {
                try outputEnable.setActive(true)
                offByPin = true
            } catch {
                outcome.failures.append("OE line: \(error)")
            }
        }
        if let writer {
            do {
                try writer.writeSafePulses()
                outcome.pulsesWritten = true
            } catch {
                outcome.failures.append("safe pulses: \(error)")
            }
        }
        if offByPin && outcome.pulsesWritten, let outputEnable {
            do {
                try outputEnable.setActive(false)
                offByPin = false
            } catch {
                outcome.failures.append("OE line release: \(error)")
            }
        }
        heldOff = offByPin
        outcome.heldOffByOutputEnable = offByPin
        return outcome
    }

    /// The loop ticks again: outputs the OE line held off follow the chip again (the loop is flying the vehicle).
    /// Returns an error text if the line could not be driven.
    @discardableResult
    public func loopRecovered() -> String? {
        guard heldOff, let outputEnable else { return nil }
        do {
            try outputEnable.setActive(false)
            heldOff = false
            return nil
        } catch {
            return "OE line: \(error)"
        }
    }
}
