@testable import Board
@testable import BoardCheck
import ConfigFiles
import DeviceIO
import EmulatedBoard
import Foundation
import Simulation
import Testing

/// The PCA9685 oscillator calibration of `check-board --calibrate-pwm` (issue 14, item 10) and the board file edit
/// that stores it.
@Suite struct PWMCalibrationTests {
    func sitl() throws -> BoardConfig { try BoardConfig.load(fromFile: boardPath("sitl")) }

    @Test(arguments: [23_700_000.0, 25_000_000, 26_400_000])
    func timingAnOutputOnAGPIOLineFindsTheChipsOwnOscillator(oscillatorHz: Double) throws {
        let board = try sitl()
        let hardware = EmulatedHardware(board: board, switchArmed: true, bench: StationaryTruth(seed: 3),
                                        pca9685Oscillator: .init(oscillatorHz: oscillatorHz))
        let devices = BoardDevices(board: board, hardware: hardware)
        let probe = try hardware.pwmReferenceInput(gpioChip: "gpiochip0", line: 27, outputChannel: 1)
        let result = try PWMCalibration.measure(devices: devices, reference: probe, referenceName: "gpiochip0 line 27",
                                                channel: 1, seconds: 2)
        #expect(result.preScale == 121)  // round(25e6 / (4096 · 50)) − 1
        // Microsecond edge stamps over ~100 frames: a few ppm.
        #expect(abs(result.oscillatorHz / oscillatorHz - 1) < 10e-6)
        // 50.029 Hz expected; a 26.4 MHz part runs 52.83 Hz frames and pulses 5.3 % short.
        #expect(abs(result.expectedFrameHz - 50.0288) < 0.001)
        #expect(abs(result.pulseErrorPercent - (25_000_000 / oscillatorHz - 1) * 100) < 0.01)
        // The outputs are stopped again afterwards.
        #expect(try #require(hardware.pca9685).pulseUs(channel: 1) == 0)
    }

    @Test func aFrameRateFromAnInstrumentNeedsNoDevice() throws {
        let result = try PWMCalibration.fromMeasuredFrame(board: try sitl(), measuredFrameHz: 51.2, source: "counter")
        #expect(result.oscillatorHz == 51.2 * 4096 * 122)
        #expect(result.description.contains("oscillator_hz = 25585254"))
        #expect(result.description.contains("% short"))
    }

    @Test func implausibleMeasurementsAndBoardsAreRefusedWithTheReason() throws {
        #expect(throws: PWMCalibration.Failure.self) {
            _ = try PWMCalibration.fromMeasuredFrame(board: try sitl(), measuredFrameHz: 80, source: "")
        }
        let sysfs = try BoardConfig.load(fromFile: boardPath("rpi-sysfs-pwm"))
        #expect {
            _ = try PWMCalibration.fromMeasuredFrame(board: sysfs, measuredFrameHz: 50, source: "")
        } throws: { "\($0)".contains("no PCA9685") }
    }

    @Test func theSwitchInSafeRefusesToRunTheOutputs() throws {
        let board = try sitl()
        let hardware = EmulatedHardware(board: board, switchArmed: false, bench: StationaryTruth(seed: 3))
        let devices = BoardDevices(board: board, hardware: hardware)
        let probe = try hardware.pwmReferenceInput(gpioChip: "gpiochip0", line: 27, outputChannel: 0)
        #expect {
            _ = try PWMCalibration.measure(devices: devices, reference: probe, referenceName: "probe", channel: 0,
                                           seconds: 0.5)
        } throws: { "\($0)".contains("not in ARM") }
        #expect(try #require(hardware.pca9685).pulseUs(channel: 0) == 0)
    }

    @Test func aReferenceOnAnOutputWithoutPulsesIsNamed() throws {
        let board = try sitl()
        let hardware = EmulatedHardware(board: board, switchArmed: true, bench: StationaryTruth(seed: 3))
        let devices = BoardDevices(board: board, hardware: hardware)
        // Wired to output 9, which the board does not drive.
        let probe = try hardware.pwmReferenceInput(gpioChip: "gpiochip0", line: 27, outputChannel: 9)
        #expect {
            _ = try PWMCalibration.measure(devices: devices, reference: probe, referenceName: "gpiochip0 line 27",
                                           channel: 0, seconds: 0.5)
        } throws: { "\($0)".contains("0 rising edge(s) on gpiochip0 line 27") }
    }

    // MARK: Storing it

    @Test(arguments: ["rpi4-pca9685", "sitl", "sitl-wing"])
    func theOscillatorIsAddedToEveryServoBoardFileAndReadsBack(name: String) throws {
        let text = try String(contentsOfFile: boardPath(name), encoding: .utf8)
        let edited = try BoardFileEdit.settingPCA9685Oscillator(25_731_000, inText: text, source: name)
        let board = try decodeBoard(edited)
        guard case .pca9685(_, _, let hz) = board.pwm.driver else { Issue.record("not a PCA9685"); return }
        #expect(hz == 25_731_000)
        // Only one line was added; everything else is as the author wrote it.
        let before = text.split(separator: "\n", omittingEmptySubsequences: false)
        let after = edited.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(after.count == before.count + 1)
        #expect(after.filter { !$0.hasPrefix("oscillator_hz") } == before)
        // Edited again, the line is replaced, its comment kept.
        let again = try BoardFileEdit.settingPCA9685Oscillator(24_900_000, inText: edited, source: name)
        #expect(again.split(separator: "\n", omittingEmptySubsequences: false).count == after.count)
        #expect(again.contains("oscillator_hz = 24900000  # measured with kestrel check-board --calibrate-pwm"))
    }

    @Test func anEditTheDaemonWouldRefuseIsNotMade() throws {
        let text = try String(contentsOfFile: boardPath("sitl"), encoding: .utf8)
        #expect(throws: ConfigFileError.self) {
            _ = try BoardFileEdit.settingPCA9685Oscillator(40_000_000, inText: text, source: "sitl")
        }
        let sysfs = try String(contentsOfFile: boardPath("rpi-sysfs-pwm"), encoding: .utf8)
        #expect(throws: ConfigFileError.self) {
            _ = try BoardFileEdit.settingPCA9685Oscillator(25_000_000, inText: sysfs, source: "sysfs")
        }
    }
}
