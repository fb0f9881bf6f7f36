import Control
import FlightMath

/// `[pwm]` and `[[pwm.channels]]`: where the servo and ESC pulses come from and what each output drives.
///
///     driver = "pca9685"; i2c_bus = 1; address = 0x40; frequency_hz = 50     # I2C servo board
///     driver = "sysfs"; sysfs_chip = 0; frequency_hz = 50                     # SoC PWM, /sys/class/pwm/pwmchip0
///     output_enable_gpio_chip = "gpiochip0"; output_enable_line = 4          # PCA9685 OE pin (optional)
///     [[pwm.channels]]  channel = 0; function = "aileron"; safe_us = 1500
public struct PWMSettings: Decodable, Sendable, Equatable {
    public enum Driver: Sendable, Equatable {
        case pca9685(i2cBus: Int, address: UInt8, oscillatorHz: Double)
        case sysfs(chip: Int)
    }

    public var driver: Driver
    public var frequencyHz: Double
    /// The PCA9685's OE pin on a GPIO line, when wired: the supervisor's way to stop every pulse without the bus.
    public var outputEnable: OutputEnableLine?
    /// In bank order: bank index i drives hardware channel `channels[i].channel`.
    public var channels: [PWMChannelSettings]

    enum CodingKeys: String, CodingKey {
        case driver, i2cBus = "i2c_bus", address, oscillatorHz = "oscillator_hz", sysfsChip = "sysfs_chip"
        case frequencyHz = "frequency_hz", channels
        case outputEnableChip = "output_enable_gpio_chip", outputEnableLine = "output_enable_line"
    }

    /// Servo frame rates: 50 Hz analog up to 400 Hz digital servos and ESCs (a 2.2 ms pulse needs the frame).
    public static let frequencyRangeHz: ClosedRange<Double> = 40...400

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.choice(.driver, as: String.self, [("pca9685", "pca9685"), ("sysfs", "sysfs")])
        let channelLimit: Int
        if kind == "pca9685" {
            try c.forbid([.sysfsChip], "sysfs_chip belongs to driver = \"sysfs\"")
            driver = .pca9685(i2cBus: try c.i2cBus(.i2cBus), address: try c.i2cAddress(.address),
                              oscillatorHz: try c.tunable(.oscillatorHz, default: 25_000_000,
                                                          in: 20_000_000...30_000_000, unit: "Hz"))
            channelLimit = 15
            if c.contains(.outputEnableChip) || c.contains(.outputEnableLine) {
                guard c.contains(.outputEnableChip) else {
                    throw c.invalid(.outputEnableLine, "output_enable_line needs output_enable_gpio_chip")
                }
                outputEnable = OutputEnableLine(gpioChip: try c.gpioChip(.outputEnableChip),
                                                line: UInt32(try c.integer(.outputEnableLine, in: 0...511)))
            }
        } else {
            try c.forbid([.i2cBus, .address, .oscillatorHz, .outputEnableChip, .outputEnableLine],
                         "this key belongs to driver = \"pca9685\"")
            driver = .sysfs(chip: try c.integer(.sysfsChip, in: 0...63))
            channelLimit = 31
        }
        frequencyHz = try c.decode(Double.self, forKey: .frequencyHz)
        guard frequencyHz.isFinite, Self.frequencyRangeHz.contains(frequencyHz) else {
            throw c.invalid(.frequencyHz, "\(frequencyHz) Hz is outside the servo frame rates 40…400 Hz")
        }
        var list = try c.nestedUnkeyedContainer(forKey: .channels)
        var channels: [PWMChannelSettings] = []
        let frameUs = 1e6 / frequencyHz
        while !list.isAtEnd {
            // Decoded through a sub-decoder so errors about one entry carry its index (channels[2].channel).
            let entry = try list.superDecoder()
            let ch = try PWMChannelSettings(from: entry)
            let keys = try entry.container(keyedBy: PWMChannelSettings.CodingKeys.self)
            guard ch.channel <= channelLimit else {
                throw keys.invalid(.channel, "channel \(ch.channel) does not exist on this driver (0…\(channelLimit))")
            }
            if let first = channels.firstIndex(where: { $0.channel == ch.channel }) {
                throw keys.invalid(.channel, "channel \(ch.channel) is already used by channels[\(first)]")
            }
            if ch.function != .none, let first = channels.firstIndex(where: { $0.function == ch.function }) {
                throw keys.invalid(.function, "function \(ch.function.rawValue) is already on channels[\(first)]")
            }
            guard Double(ch.safeUs) < frameUs else {
                throw keys.invalid(.safeUs, "safe_us \(ch.safeUs) does not fit the \(frameUs) µs frame at \(frequencyHz) Hz")
            }
            channels.append(ch)
        }
        guard !channels.isEmpty else { throw c.invalid(.channels, "a board needs at least one output channel") }
        self.channels = channels
    }
}

/// One output: hardware channel, function, and the pulse it holds whenever outputs are safe.
public struct PWMChannelSettings: Decodable, Sendable, Equatable {
    public var channel: Int
    public var function: OutputFunction
    /// Pulse while SAFE / disarmed / shutting down: surfaces at neutral, throttle at or below idle (0 = no pulses).
    public var safeUs: UInt16

    enum CodingKeys: String, CodingKey { case channel, function, safeUs = "safe_us" }

    /// A throttle output's safe pulse must not spin the motor on any ESC calibrated to 1000…2000 µs.
    public static let throttleSafeMaxUs: UInt16 = 1_000

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channel = try c.integer(.channel, in: 0...31)
        function = try c.choice(.function, as: String.self, OutputFunction.allCases.map { ($0.rawValue, $0) })
        let safe = try c.integer(.safeUs, in: 0...2200, unit: "µs")
        if function == .throttle {
            guard safe <= Int(Self.throttleSafeMaxUs) else {
                throw c.invalid(.safeUs, "a throttle output's safe_us (\(safe)) must be 0 (no pulses) or at most "
                                + "\(Self.throttleSafeMaxUs) µs: the motor must not run while SAFE")
            }
        } else if safe != 0 {
            guard Double(safe) >= OutputChannel.hardLimitsUs.lowerBound,
                  Double(safe) <= OutputChannel.hardLimitsUs.upperBound else {
                throw c.invalid(.safeUs, "safe_us \(safe) must be 0 or within 800…2200 µs for a servo")
            }
        }
        safeUs = UInt16(safe)
    }
}

/// The GPIO line wired to a PCA9685's active-low OE pin. Driven low while the daemon runs (outputs follow the
/// chip); the supervisor drives it high (every output off, whatever the chip holds) when the real-time loop stalls
/// and the safe pulses cannot be written. Undriven (boot, daemon stopped) the breakouts' pull-down keeps the outputs
/// following the chip, so wiring OE adds a way to stop them and takes none away.
public struct OutputEnableLine: Sendable, Equatable {
    public var gpioChip: String
    public var line: UInt32

    public init(gpioChip: String, line: UInt32) {
        self.gpioChip = gpioChip
        self.line = line
    }
}
