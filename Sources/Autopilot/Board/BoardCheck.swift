import ConfigFiles
import DeviceIO
import Drivers
import FlightMath
import Simulation

/// The library behind `kestrel check-board --board FILE [--emulated] [--seconds N] [--sweep]`: opens every
/// device the board file names, reads them for N seconds, and reports per-sensor rate, noise and errors, the
/// safety switch position, and — only with `sweep` and the switch in ARM — moves each surface servo.
public enum BoardCheck {
    public struct Options: Sendable {
        public var seconds: Double
        public var sweep: Bool
        /// Run against emulators even if the board describes hardware.
        public var emulated: Bool
        /// Seed of the emulated vehicle's sensor noise.
        public var seed: UInt64
        /// Where the emulated safety switch sits (the bench default is SAFE).
        public var emulatedSwitchArmed: Bool
        /// How far each surface moves either side of its safe pulse during the sweep, and how long it holds.
        public var sweepAmplitudeUs: UInt16
        public var sweepHoldUs: UInt64

        public init(seconds: Double = 5, sweep: Bool = false, emulated: Bool = false, seed: UInt64 = 1,
                    emulatedSwitchArmed: Bool = false, sweepAmplitudeUs: UInt16 = 200, sweepHoldUs: UInt64 = 500_000)
        {
            self.seconds = seconds
            self.sweep = sweep
            self.emulated = emulated
            self.seed = seed
            self.emulatedSwitchArmed = emulatedSwitchArmed
            self.sweepAmplitudeUs = sweepAmplitudeUs
            self.sweepHoldUs = sweepHoldUs
        }
    }

    /// Loads the board file (a `ConfigFileError` names the file and key) and checks the board.
    public static func run(boardFile path: String, options: Options) throws(ConfigFileError) -> BoardCheckReport {
        let board = try BoardConfig.load(fromFile: path)
        return run(board: board, options: options)
    }

    public static func run(board: BoardConfig, options: Options) -> BoardCheckReport {
        let devices = BoardDevices(board: board, emulated: options.emulated, switchArmed: options.emulatedSwitchArmed)
        return run(devices: devices, options: options)
    }

    /// Checks already opened devices (tests use this to inject faults into the emulators first).
    public static func run(devices: BoardDevices, options: Options) -> BoardCheckReport {
        var sampler = Sampler(devices: devices, seed: options.seed)
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
        return BoardCheckReport(board: devices.board.name, emulated: devices.emulation != nil, durationS: durationS,
                                devices: sampler.deviceReports(durationS: durationS), switchState: switchState, sweep: sweep)
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
                                       observedUs: devices.emulation?.servoPulseUs(bankIndex: index, board: board)))
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
