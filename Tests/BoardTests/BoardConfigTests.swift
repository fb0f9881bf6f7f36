@testable import Board
import ConfigFiles
import Foundation
import Control
import Drivers
import Testing

/// The repository's `Hardware/boards` folder, found from this file's path.
let boardsFolder: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/BoardTests/BoardConfigTests.swift
    return parts.joined(separator: "/") + "/Hardware/boards"
}()

func boardPath(_ name: String) -> String { "\(boardsFolder)/\(name).toml" }

func decodeBoard(_ text: String) throws(ConfigFileError) -> BoardConfig {
    try ConfigFile.decode(BoardConfig.self, fromTOML: text, source: "test.toml")
}

@Suite struct BoardConfigTests {
    @Test(arguments: ["rpi4-pca9685", "rpi-sysfs-pwm", "rpi5-sysfs-pwm", "sitl"])
    func everyBoardFileLoads(name: String) throws {
        let board = try BoardConfig.load(fromFile: boardPath(name))
        #expect(board.name == name)
        #expect(board.realtime.baseRateHz == 400)
        #expect(board.safetySwitch.line == 17 && board.safetySwitch.activeLow && board.safetySwitch.bias == .pullUp)
        #expect(board.imu.address == 0x68)
    }

    @Test func theServoBoardFileSaysWhatTheWiringTableSays() throws {
        let board = try BoardConfig.load(fromFile: boardPath("rpi4-pca9685"))
        #expect(board.pwm.driver == .pca9685(i2cBus: 1, address: 0x40, oscillatorHz: 25_000_000))
        #expect(board.pwm.channels.map(\.function) == [.aileron, .elevator, .throttle, .rudder])
        #expect(board.pwm.channels.map(\.safeUs) == [1500, 1500, 1000, 1500])
        #expect(board.barometer.address == 0x76 && board.airspeed?.address == 0x28)
        #expect(board.gps.device == "/dev/ttyAMA0" && board.gps.baudRate == 115_200 && board.gps.protocolKind == .ubx)
        #expect(board.realtime.fifoPriority == 80 && board.realtime.cpu == 3 && board.realtime.lockMemory)
        #expect(board.imu.orientation == .zUpXForward)
        #expect(!board.emulated)
    }

    @Test func theSysfsBoardHasTwoElevonsOnPwmchip0() throws {
        let board = try BoardConfig.load(fromFile: boardPath("rpi-sysfs-pwm"))
        #expect(board.pwm.driver == .sysfs(chip: 0))
        #expect(board.pwm.channels.map(\.channel) == [0, 1])
        #expect(board.pwm.channels.map(\.function) == [.elevonLeft, .elevonRight])
        #expect(board.airspeed == nil)
        #expect(board.imu.orientation == .identity)
    }

    /// The Pi 5's RP1 puts GPIO 18/19 on PWM0 channels 2/3 (pwmchip2), not the Pi 4's pwmchip0 channels 0/1.
    @Test func thePi5SysfsBoardDiffersFromThePi4sOnlyInTheKernelsNumbers() throws {
        let pi5 = try BoardConfig.load(fromFile: boardPath("rpi5-sysfs-pwm"))
        let pi4 = try BoardConfig.load(fromFile: boardPath("rpi-sysfs-pwm"))
        #expect(pi5.pwm.driver == .sysfs(chip: 2))
        #expect(pi5.pwm.channels.map(\.channel) == [2, 3])
        #expect(pi5.pwm.channels.map(\.function) == pi4.pwm.channels.map(\.function))
        #expect(pi5.imu == pi4.imu && pi5.barometer == pi4.barometer && pi5.gps == pi4.gps)
        #expect(pi5.safetySwitch == pi4.safetySwitch)
    }

    @Test func sitlIsTheServoBoardEmulated() throws {
        let sitl = try BoardConfig.load(fromFile: boardPath("sitl"))
        let real = try BoardConfig.load(fromFile: boardPath("rpi4-pca9685"))
        #expect(sitl.emulated)
        #expect(sitl.imu == real.imu && sitl.barometer == real.barometer && sitl.pwm == real.pwm)
        #expect(sitl.realtime.fifoPriority == nil && !sitl.realtime.lockMemory)
    }

    // MARK: Bad files

    func sitlSource() throws -> String {
        try String(contentsOfFile: boardPath("sitl"), encoding: .utf8)
    }

    func expectError(_ edit: (String) -> String, _ expected: ConfigFileError.Problem,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = edit(try sitlSource())
        let error = #expect(throws: ConfigFileError.self, sourceLocation: sourceLocation) { _ = try decodeBoard(text) }
        #expect(error?.problem == expected, sourceLocation: sourceLocation)
    }

    func expectInvalid(_ edit: (String) -> String, keyPath: String, mentioning fragment: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = edit(try sitlSource())
        let error = #expect(throws: ConfigFileError.self, sourceLocation: sourceLocation) { _ = try decodeBoard(text) }
        guard case .invalidValue(let path, let reason)? = error?.problem else {
            Issue.record("expected an invalid value at \(keyPath), got \(String(describing: error))",
                         sourceLocation: sourceLocation)
            return
        }
        #expect(path == keyPath, sourceLocation: sourceLocation)
        #expect(reason.contains(fragment), sourceLocation: sourceLocation)
        #expect(error?.description.contains(keyPath) == true, sourceLocation: sourceLocation)
    }

    @Test func stuckIMUThresholdIsOptionalAndChecked() throws {
        #expect(try decodeBoard(try sitlSource()).imu.driverConfig.stuckAfterIdenticalSamples == 100)
        let set = try decodeBoard(try sitlSource().replacingFirst("low_pass_hz = 98",
                                                                   with: "low_pass_hz = 98\nstuck_after_identical_samples = 400"))
        #expect(set.imu.driverConfig.stuckAfterIdenticalSamples == 400)
        try expectInvalid({ $0.replacingFirst("low_pass_hz = 98", with: "low_pass_hz = 98\nstuck_after_identical_samples = 3") },
                          keyPath: "imu.stuck_after_identical_samples", mentioning: "20…100000")
    }

    @Test func unknownKeyIsNamed() throws {
        try expectError({ $0.replacingFirst("range_psi = 1", with: "range_psi = 1\nrange_pa = 6895") },
                        .unknownKey(keyPath: "airspeed.range_pa"))
        try expectError({ $0.replacingFirst("[realtime]", with: "[realtime]\nbase_rate = 400") },
                        .unknownKey(keyPath: "realtime.base_rate"))
    }

    @Test func addressOutsideTheUsableRangeIsNamed() throws {
        try expectInvalid({ $0.replacingFirst("address = 0x76", with: "address = 0x78") },
                          keyPath: "barometer.address", mentioning: "0x03…0x77")
        try expectInvalid({ $0.replacingFirst("address = 0x68", with: "address = 0x02") },
                          keyPath: "imu.address", mentioning: "0x2")
    }

    @Test func twoChipsOnOneAddressIsNamed() throws {
        try expectInvalid({ $0.replacingFirst("address = 0x76", with: "address = 0x68") },
                          keyPath: "barometer.address", mentioning: "already used by imu")
    }

    @Test func duplicatePWMChannelIsNamed() throws {
        try expectInvalid({ $0.replacingFirst("channel = 3", with: "channel = 1") },
                          keyPath: "pwm.channels[3].channel", mentioning: "already used by channels[1]")
    }

    @Test func missingSafePulseIsNamed() throws {
        try expectError({ $0.replacingFirst("function = \"elevator\"\nsafe_us = 1500", with: "function = \"elevator\"") },
                        .missingKey(keyPath: "pwm.channels[1].safe_us"))
    }

    @Test func throttleSafePulseThatWouldSpinTheMotorIsRefused() throws {
        try expectInvalid({ $0.replacingFirst("safe_us = 1000", with: "safe_us = 1500") },
                          keyPath: "pwm.channels[2].safe_us", mentioning: "motor must not run")
    }

    @Test func mirroredIMUAxesAreRefused() throws {
        try expectInvalid({ $0.replacingFirst("right = \"-y\"", with: "right = \"+y\"") },
                          keyPath: "imu.orientation", mentioning: "not a rotation")
    }

    @Test func keysOfTheOtherPWMDriverAreRefused() throws {
        try expectInvalid({ $0.replacingFirst("driver = \"pca9685\"", with: "driver = \"pca9685\"\nsysfs_chip = 0") },
                          keyPath: "pwm.sysfs_chip", mentioning: "sysfs")
    }

    @Test func theOutputEnableLineIsDecodedAndCheckedForItsDriver() throws {
        let board = try decodeBoard(try sitlSource())
        #expect(board.pwm.outputEnable == OutputEnableLine(gpioChip: "gpiochip0", line: 22))
        try expectInvalid({ $0.replacingFirst("output_enable_gpio_chip = \"gpiochip0\"\n", with: "") },
                          keyPath: "pwm.output_enable_line", mentioning: "output_enable_gpio_chip")
        try expectInvalid({ $0.replacingFirst("output_enable_gpio_chip = \"gpiochip0\"", with: "output_enable_gpio_chip = \"gpio0\"") },
                          keyPath: "pwm.output_enable_gpio_chip", mentioning: "gpiodetect")
        try expectInvalid({ $0.replacingFirst("output_enable_line = 22", with: "output_enable_line = 600") },
                          keyPath: "pwm.output_enable_line", mentioning: "0…511")
        // A sysfs bank has no OE pin to drive.
        let sysfs = try String(contentsOfFile: boardPath("rpi-sysfs-pwm"), encoding: .utf8)
            .replacingFirst("driver = \"sysfs\"", with: "driver = \"sysfs\"\noutput_enable_gpio_chip = \"gpiochip0\"")
        #expect(throws: ConfigFileError.self) { _ = try decodeBoard(sysfs) }
    }

    @Test func unsupportedBaudRateAndFrameRateAreNamed() throws {
        try expectInvalid({ $0.replacingFirst("baud = 115200", with: "baud = 100000") },
                          keyPath: "gps.baud", mentioning: "115200")
        try expectInvalid({ $0.replacingFirst("frequency_hz = 50", with: "frequency_hz = 1000") },
                          keyPath: "pwm.frequency_hz", mentioning: "40…400")
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
