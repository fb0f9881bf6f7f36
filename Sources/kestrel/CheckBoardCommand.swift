import ArgumentParser
import Board
import BoardCheck
import ConfigFiles
import Foundation

struct CheckBoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-board",
        abstract: "Probe every device a board file names, sample them and report rate, noise and the switch state.",
        discussion: "Servos move only with --sweep and the safety switch in ARM; the throttle never moves.")

    @Option(help: "Board file, e.g. Hardware/boards/rpi4-pca9685.toml.")
    var board: String

    @Flag(help: "Run against the register-level emulators instead of the hardware (how CI tests a board file).")
    var emulated = false

    @Option(help: "How long to sample, in seconds.")
    var seconds: Double = 5

    @Flag(help: "Move each surface servo either side of its safe pulse width (switch must be in ARM).")
    var sweep = false

    @Flag(help: "With --emulated: start the emulated safety switch in ARM.")
    var emulatedSwitchArmed = false

    @Flag(help: ArgumentHelp(
        "Measure the PCA9685's oscillator: from --measured-hz, or by timing --reference-channel on "
            + "--reference-line; alone, runs the outputs at their safe pulses for --seconds to be measured (switch in ARM).",
        discussion: "The result is printed as the board file's oscillator_hz; --write stores it there."))
    var calibratePWM = false

    @Option(help: ArgumentHelp("With --calibrate-pwm: the frame rate measured on any PCA9685 output (frequency "
                               + "counter, scope, multimeter Hz range), in Hz."))
    var measuredHz: Double?

    @Option(help: "With --calibrate-pwm: the GPIO line wired to the output named by --reference-channel.")
    var referenceLine: UInt32?

    @Option(help: "With --reference-line: its GPIO chip (default: the safety switch's).")
    var referenceGpioChip: String?

    @Option(help: ArgumentHelp("With --reference-line: the PCA9685 output (channel number) the line is wired to "
                               + "(default: the first output with a safe pulse that is not the throttle)."))
    var referenceChannel: Int?

    @Flag(help: "With --calibrate-pwm: write the measured oscillator_hz into the board file.")
    var write = false

    @Option(help: "With --emulated: the emulated PCA9685's own oscillator in Hz (real parts: about 23–27 MHz).")
    var emulatedPca9685OscillatorHz: Double?

    func validate() throws {
        guard seconds.isFinite, seconds >= 0.1, seconds <= 3600 else {
            throw ValidationError("--seconds must be between 0.1 and 3600, got \(seconds)")
        }
        if !calibratePWM {
            for (given, name) in [(measuredHz != nil, "--measured-hz"), (referenceLine != nil, "--reference-line"),
                                  (referenceGpioChip != nil, "--reference-gpio-chip"),
                                  (referenceChannel != nil, "--reference-channel"), (write, "--write")] where given {
                throw ValidationError("\(name) belongs to --calibrate-pwm")
            }
        } else {
            if sweep { throw ValidationError("--sweep and --calibrate-pwm are separate runs") }
            if measuredHz != nil && referenceLine != nil {
                throw ValidationError("--measured-hz and --reference-line are two ways to measure: give one")
            }
            if referenceLine == nil && (referenceGpioChip != nil || referenceChannel != nil) {
                throw ValidationError("--reference-gpio-chip and --reference-channel need --reference-line")
            }
            if write && measuredHz == nil && referenceLine == nil {
                throw ValidationError("--write needs a measurement: --measured-hz or --reference-line")
            }
        }
        if let hz = emulatedPca9685OscillatorHz {
            guard emulated else { throw ValidationError("--emulated-pca9685-oscillator-hz needs --emulated") }
            guard hz.isFinite, (20_000_000...30_000_000).contains(hz) else {
                throw ValidationError("--emulated-pca9685-oscillator-hz must be 20000000…30000000, got \(hz)")
            }
        }
    }

    func run() throws {
        if calibratePWM { return try runCalibration() }
        let report: BoardCheckReport
        do {
            let config = try BoardConfig.load(fromFile: board)
            var selection = BoardSelection(emulated: emulated, emulatedSwitchArmed: emulatedSwitchArmed)
            selection.program = "kestrel check-board"

            report = BoardCheck.run(board: config, hardware: try selection.hardware(for: config),
                                    options: .init(seconds: seconds, sweep: sweep))
        } catch let error as ConfigFileError {
            throw UserFacingError(error)
        }
        print(report.description)
        if report.devices.contains(where: { !$0.present }) { throw ExitCode(2) }
    }
}

extension CheckBoardCommand {
    /// `--calibrate-pwm`: from a frequency the user measured (no device touched), or timed on a GPIO line, or (with
    /// neither) the outputs held at their safe pulses for the user to measure.
    func runCalibration() throws {
        let config: BoardConfig
        do { config = try BoardConfig.load(fromFile: board) } catch { throw UserFacingError(error) }
        let result: PWMCalibration.Result
        if let measuredHz {
            do {
                result = try PWMCalibration.fromMeasuredFrame(board: config, measuredFrameHz: measuredHz,
                                                              source: "frame rate \(measuredHz) Hz given with --measured-hz")
            } catch { throw UserFacingError(error) }
        } else {
            guard case .pca9685 = config.pwm.driver else { throw UserFacingError(PWMCalibration.notAServoBoard(config)) }
            var selection = BoardSelection(emulated: emulated, emulatedSwitchArmed: emulatedSwitchArmed)
            selection.program = "kestrel check-board --calibrate-pwm"
            selection.emulatedPCA9685OscillatorHz = emulatedPca9685OscillatorHz
            let devices = BoardDevices(board: config, hardware: try selection.hardware(for: config))
            guard let referenceLine else { return try holdForMeasurement(devices) }
            let surface = config.pwm.channels.first { $0.safeUs > 0 && $0.function != .throttle }
            let channel: Int = referenceChannel ?? surface?.channel ?? 0
            let chip = referenceGpioChip ?? config.safetySwitch.gpioChip
            let name = "\(chip) line \(referenceLine)"
            do {
                let input = try devices.hardware.pwmReferenceInput(gpioChip: chip, line: referenceLine,
                                                                   outputChannel: channel)
                result = try PWMCalibration.measure(devices: devices, reference: input, referenceName: name,
                                                    channel: channel, seconds: seconds)
            } catch { throw UserFacingError("--calibrate-pwm: \(error)") }
        }
        print(result.description)
        guard write else {
            print("  (not written: run again with --write to store it in \(board))")
            return
        }
        do {
            let text = try String(contentsOfFile: board, encoding: .utf8)
            let edited = try BoardFileEdit.settingPCA9685Oscillator(Int(result.oscillatorHz.rounded()), inText: text,
                                                                     source: board)
            try BoardFileEdit.replaceFile(board, with: edited)
        } catch { throw UserFacingError(error) }
        print("  written: \(board) [pwm] oscillator_hz = \(Int(result.oscillatorHz.rounded()))")
    }

    /// No measurement given: the outputs run at their safe pulses (switch in ARM) for the user's instrument.
    func holdForMeasurement(_ devices: BoardDevices) throws {
        do {
            let expected = try PWMCalibration.expectedFrameHz(board: devices.board)
            print("outputs at their safe pulses for \(seconds) s: measure the frame rate on any PCA9685 output now "
                  + "(the board file's oscillator gives \(String(format: "%.3f", expected)) Hz), then run again with "
                  + "--calibrate-pwm --measured-hz <Hz> --write")
            try PWMCalibration.holdSafePulses(devices: devices, seconds: seconds)
        } catch { throw UserFacingError("--calibrate-pwm: \(error)") }
    }
}
