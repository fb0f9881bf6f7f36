import Board
import DeviceIO
import Drivers

/// The PCA9685's oscillator, measured: the datasheet's 25 MHz varies about ±3 % between parts, and every pulse
/// width scales with it (a 1500 µs command comes out anywhere from 1455 to 1545 µs). The frame rate the chip runs
/// at gives the oscillator exactly: f_frame = osc / (4096 · (PRE_SCALE + 1)), with PRE_SCALE what the driver wrote.
public enum PWMCalibration {
    public struct Result: Equatable, Sendable, CustomStringConvertible {
        /// What the board file says (`oscillator_hz`, 25 MHz if absent).
        public var assumedOscillatorHz: Double
        public var preScale: UInt8
        /// The frame rate the assumed oscillator would give.
        public var expectedFrameHz: Double
        public var measuredFrameHz: Double
        /// The oscillator the measured frame rate implies.
        public var oscillatorHz: Double
        /// How the frame rate was measured.
        public var source: String

        /// How far pulses are off with the assumed oscillator, per cent (positive: longer than commanded). A faster
        /// oscillator runs faster frames and shorter pulses.
        public var pulseErrorPercent: Double { (expectedFrameHz / measuredFrameHz - 1) * 100 }

        public var description: String {
            """
            PCA9685 oscillator: \(format(oscillatorHz / 1e6, 4)) MHz (\(source))
              frame rate \(format(measuredFrameHz, 3)) Hz measured, \(format(expectedFrameHz, 3)) Hz expected at PRE_SCALE \
            \(preScale) with the board file's \(format(assumedOscillatorHz / 1e6, 4)) MHz
              pulses with the board file's value come out \(format(abs(pulseErrorPercent), 2)) % \
            \(pulseErrorPercent < 0 ? "short" : "long"); in the board file's [pwm] table: \
            oscillator_hz = \(Int(oscillatorHz.rounded()))
            """
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAServoBoard(String)
        case refused(String)
        case device(String)
        case noPulses(String)
        case implausible(String)

        public var description: String {
            switch self {
            case .notAServoBoard(let s), .refused(let s), .device(let s), .noPulses(let s), .implausible(let s): return s
            }
        }
    }

    /// The frame rate the board file's oscillator gives (what an exact part would run at).
    public static func expectedFrameHz(board: BoardConfig) throws(Failure) -> Double {
        guard case .pca9685(_, _, let assumedHz) = board.pwm.driver,
              let preScale = PCA9685<AnyI2CBus>.preScale(frequencyHz: board.pwm.frequencyHz, oscillatorHz: assumedHz)
        else { throw notAServoBoard(board) }
        return assumedHz / (4096 * (Double(preScale) + 1))
    }

    /// Runs every output at its safe pulse for `seconds` (switch in ARM), for an instrument on the pins.
    public static func holdSafePulses(devices: BoardDevices, seconds: Double) throws(Failure) {
        let outputs = try armedOutputs(devices)
        defer {
            try? outputs.disarm()
            try? outputs.setEnabled(false)
        }
        do throws(DeviceError) {
            try outputs.setEnabled(true)
            let clock = devices.clock
            let endUs = clock.nowUs() &+ UInt64(seconds * 1e6)
            while clock.nowUs() < endUs {
                try outputs.update(from: try safety(devices))
                guard outputs.gate.outputsLive else { throw DeviceError.invalidRequest(
                    .pwm, path: "safety switch", detail: "moved to SAFE: outputs back at their safe pulses, stopped") }
                clock.sleep(durationUs: 20_000)
            }
        } catch {
            throw .device(error.description)
        }
    }

    static func safety(_ devices: BoardDevices) throws(DeviceError) -> SafetySwitch<AnyDigitalInput> {
        guard let safety = devices.safetySwitch else { throw DeviceError.missing(.gpio, path: "safety switch") }
        return safety
    }

    /// The outputs behind the safety gate, armed: refused unless the switch is in ARM.
    static func armedOutputs(_ devices: BoardDevices) throws(Failure) -> SafetyGatedOutputs<AnyPWMOutputs> {
        guard let bank = devices.outputs, let safety = devices.safetySwitch else {
            throw .device("the PWM outputs or the safety switch are not available: "
                          + devices.errors.map(\.description).joined(separator: "; "))
        }
        let outputs: SafetyGatedOutputs<AnyPWMOutputs>
        do throws(DeviceError) {
            outputs = try SafetyGatedOutputs(outputs: AnyPWMOutputs(bank))
            try outputs.update(from: safety)
        } catch {
            throw .device(error.description)
        }
        do {
            try outputs.arm()
        } catch {
            throw .refused("the safety switch is not in ARM; move it to ARM (props off!) and run again")
        }
        defer {
            try? outputs.disarm()
            try? outputs.setEnabled(false)
        }
        return outputs
    }

    public static func notAServoBoard(_ board: BoardConfig) -> Failure {
        .notAServoBoard("--calibrate-pwm: board '\(board.name)' has no PCA9685 (driver = \"sysfs\" PWM is timed by "
                        + "the SoC's clock and needs no calibration)")
    }

    /// The calibration from a frame rate measured on any output with a frequency counter, a scope or a multimeter's
    /// Hz range. Needs no device: PRE_SCALE follows from the board file as the driver computes it.
    public static func fromMeasuredFrame(board: BoardConfig, measuredFrameHz: Double, source: String)
        throws(Failure) -> Result
    {
        guard case .pca9685(_, _, let assumedHz) = board.pwm.driver else { throw notAServoBoard(board) }
        guard let preScale = PCA9685<AnyI2CBus>.preScale(frequencyHz: board.pwm.frequencyHz, oscillatorHz: assumedHz)
        else { throw .notAServoBoard("--calibrate-pwm: frame rate \(board.pwm.frequencyHz) Hz has no PRE_SCALE") }
        let expected = assumedHz / (4096 * (Double(preScale) + 1))
        guard measuredFrameHz.isFinite, measuredFrameHz > 0 else {
            throw .implausible("--measured-hz must be a positive frame rate in Hz, got \(measuredFrameHz)")
        }
        let oscillator = measuredFrameHz * 4096 * (Double(preScale) + 1)
        // The same bounds the board file accepts for oscillator_hz.
        guard (20_000_000...30_000_000).contains(oscillator) else {
            throw .implausible("a frame rate of \(format(measuredFrameHz, 3)) Hz at PRE_SCALE \(preScale) means a "
                               + "\(format(oscillator / 1e6, 3)) MHz oscillator, outside 20–30 MHz; the board runs "
                               + "\(format(expected, 2)) Hz frames: was it measured on a PCA9685 output?")
        }
        return Result(assumedOscillatorHz: assumedHz, preScale: preScale, expectedFrameHz: expected,
                      measuredFrameHz: measuredFrameHz, oscillatorHz: oscillator, source: source)
    }

    /// Runs the outputs at their safe pulses (the switch must be in ARM: props off) and times the pulse train of
    /// hardware output `channel` on `reference`, a GPIO input wired to it. The kernel stamps each edge; rising
    /// edges `seconds` apart give the frame rate to a few parts per million.
    public static func measure(devices: BoardDevices, reference: any DigitalInput, referenceName: String,
                               channel: Int, seconds: Double) throws(Failure) -> Result
    {
        let board = devices.board
        guard case .pca9685 = board.pwm.driver else { throw notAServoBoard(board) }
        guard let index = board.pwm.channels.firstIndex(where: { $0.channel == channel }) else {
            throw .refused("--reference-channel \(channel) is not one of the board's outputs "
                           + "(\(board.pwm.channels.map { "\($0.channel)" }.joined(separator: ", ")))")
        }
        guard board.pwm.channels[index].safeUs > 0 else {
            throw .refused("output \(channel) (\(board.pwm.channels[index].function.rawValue)) has no safe pulse "
                           + "(safe_us = 0); wire the reference to an output that pulses while safe")
        }
        let outputs = try armedOutputs(devices)
        defer {
            try? outputs.disarm()
            try? outputs.setEnabled(false)
        }
        var rises: [UInt64] = []
        do throws(DeviceError) {
            try outputs.setEnabled(true)
            let clock = devices.clock
            let endUs = clock.nowUs() &+ UInt64(seconds * 1e6)
            while clock.nowUs() < endUs {
                devices.hardware.willReadSensors(atUs: clock.nowUs())
                while let edge = try reference.nextEdge() {
                    if edge.isActive { rises.append(edge.timestampUs) }
                }
                clock.sleep(durationUs: 1_000)
            }
        } catch {
            throw .device("\(referenceName): \(error.description)")
        }
        guard rises.count >= 10, let first = rises.first, let last = rises.last, last > first else {
            throw .noPulses("\(rises.count) rising edge(s) on \(referenceName) in \(format(seconds, 1)) s: is it wired to "
                            + "PCA9685 output \(channel) (and the servo power on)?")
        }
        let frameHz = Double(rises.count - 1) * 1e6 / Double(last - first)
        return try fromMeasuredFrame(
            board: board, measuredFrameHz: frameHz,
            source: "\(rises.count) frames of output \(channel) timed on \(referenceName) over "
                + "\(format(Double(last - first) / 1e6, 2)) s")
    }
}
