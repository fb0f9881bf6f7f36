import ConfigFiles
import DeviceIO
import Drivers
import FlightMath
import Board

/// The library behind `kestrel check-board --board FILE [--emulated] [--seconds N] [--sweep]`: opens every
/// device the board file names on the hardware it is given (the kernel's devices, or emulators of a vehicle at
/// rest), reads them for N seconds, and reports per-sensor rate, noise and errors, the safety switch position, and
/// — only with `sweep` and the switch in ARM — moves each surface servo.
public enum BoardCheck {
    public struct Options: Sendable {
        public var seconds: Double
        public var sweep: Bool
        /// How far each surface moves either side of its safe pulse during the sweep, and how long it holds.
        public var sweepAmplitudeUs: UInt16
        public var sweepHoldUs: UInt64

        public init(seconds: Double = 5, sweep: Bool = false, sweepAmplitudeUs: UInt16 = 200,
                    sweepHoldUs: UInt64 = 500_000)
        {
            self.seconds = seconds
            self.sweep = sweep
            self.sweepAmplitudeUs = sweepAmplitudeUs
            self.sweepHoldUs = sweepHoldUs
        }
    }

    /// Checks the board on `hardware`: its drivers are brought up there first (tests build emulated hardware and
    /// inject faults into it before the check).
    public static func run(board: BoardConfig, hardware: any BoardHardware, options: Options) -> BoardCheckReport {
        run(devices: BoardDevices(board: board, hardware: hardware), options: options)
    }

    /// Checks already opened devices.
    public static func run(devices: BoardDevices, options: Options) -> BoardCheckReport {
        var sampler = Sampler(devices: devices)
        // The daemon's supervisor opens its own handles on the output chip and the OE line: check they open too.
        let safePath = SupervisorSafeOutputs.open(board: devices.board, hardware: devices.hardware)
        sampler.safePathErrors = safePath.errors
        sampler.outputEnableOpened = safePath.outputs.outputEnable != nil
        let durationS = options.seconds.isFinite ? min(max(options.seconds, 0.1), 3600) : 5
        sampler.run(seconds: durationS)
        var gate = ArmingSafetyGate()
        let switchState: BoardCheckReport.SwitchState
        if let safety = devices.safetySwitch {
            do {
                try safety.apply(to: &gate)
                switchState = gate.switchPosition == .arm ? .arm : .safe
            } catch {
                switchState = .unavailable(error.description)
            }
        } else {
            switchState = .unavailable(devices.errors.first { $0.role == .safetySwitch }?.description ?? "not opened")
        }
        let sweep = options.sweep ? runSweep(devices: devices, switchState: switchState, options: options)
            : .notRequested
        return BoardCheckReport(board: devices.board.name, emulated: devices.hardware.isEmulated, durationS: durationS,
                                devices: sampler.deviceReports(durationS: durationS), switchState: switchState, sweep: sweep,
                                gpsReceiver: BoardCheckReport.gpsReceiverLine(devices),
                                gpioLibrary: devices.hardware.isEmulated ? nil : GPIOLibrary.description)
    }

    // MARK: Sweep

    static func runSweep(devices: BoardDevices, switchState: BoardCheckReport.SwitchState, options: Options)
        -> BoardCheckReport.Sweep
    {
        guard switchState == .arm else {
            return .refused("the safety switch is not in ARM; move it to ARM (props off!) and run again")
        }
        guard let bank = devices.outputs, let safety = devices.safetySwitch else {
            return .refused("the PWM outputs are not available")
        }
        let board = devices.board
        var steps: [BoardCheckReport.SweepStep] = []
        let skipped = board.pwm.channels.filter { $0.function == .throttle }.map { "\($0.function.rawValue) "
            + "(channel \($0.channel))" }
        let outputs: SafetyGatedOutputs<AnyPWMOutputs>
        do throws(DeviceError) {
            outputs = try SafetyGatedOutputs(outputs: AnyPWMOutputs(bank))
            try outputs.update(from: safety)
        } catch {
            return .aborted(failure(devices, error), steps: [])
        }
        do {
            try outputs.arm()
        } catch {
            return .refused(error.description)
        }
        // Whatever happens next, every output ends at its safe pulse and then the pulses stop.
        defer {
            try? outputs.disarm()
            try? outputs.setEnabled(false)
        }
        do throws(DeviceError) {
            try outputs.setEnabled(true)
            for (index, channel) in board.pwm.channels.enumerated() where channel.function != .throttle {
                let safe = channel.safeUs == 0 ? 1500 : channel.safeUs
                for pulse in [safe &- options.sweepAmplitudeUs, safe &+ options.sweepAmplitudeUs, safe] {
                    try outputs.update(from: safety)
                    guard outputs.gate.outputsLive else {
                        return .aborted("the safety switch moved to SAFE; outputs are back at their safe pulses",
                                        steps: steps)
                    }
                    try outputs.setPulseWidth(channel: index, pulseUs: pulse)
                    steps.append(.init(bankIndex: index, hardwareChannel: channel.channel,
                                       function: channel.function.rawValue, commandedUs: pulse,
                                       observedUs: devices.hardware.observedPulseUs(bankIndex: index, board: board)))
                    devices.clock.sleep(durationUs: options.sweepHoldUs)
                }
            }
        } catch {
            return .aborted(failure(devices, error), steps: steps)
        }
        return .done(steps: steps, skipped: skipped)
    }

    static func failure(_ devices: BoardDevices, _ error: DeviceError) -> String {
        BoardDeviceError(role: .pwm, device: devices.deviceName(.pwm), cause: .device(error)).description
    }
}

/// Erases the bank type so the gated wrapper can hold any board's outputs.
final class AnyPWMOutputs: PWMOutputs {
    let base: any PWMOutputs
    init(_ base: any PWMOutputs) { self.base = base }
    var channelCount: Int { base.channelCount }
    func safePulseUs(channel: Int) -> UInt16 { base.safePulseUs(channel: channel) }
    func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        try base.setPulseWidth(channel: channel, pulseUs: pulseUs)
    }
    func setEnabled(_ enabled: Bool) throws(DeviceError) { try base.setEnabled(enabled) }
}
