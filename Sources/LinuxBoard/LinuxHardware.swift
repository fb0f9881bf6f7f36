import Board
import DeviceIO

/// A Linux flight board's devices: `/dev/i2c-N` through libi2c, the GPS UART through termios, the safety switch
/// through libgpiod, sysfs PWM, all timed by CLOCK_MONOTONIC. Each bus is opened once, on first use, and kept.
public final class LinuxHardware: BoardHardware {
    public let clock: DeviceClock
    public var deviceNameSuffix: String { "" }
    public var isEmulated: Bool { false }
    private let sysfsPWMRoot: String
    private var buses: [Int: LinuxI2CBus] = [:]

    /// - Parameter sysfsPWMRoot: where the PWM chips are (tests point it at a folder of their own).
    public init(clock: DeviceClock = SystemMonotonicClock(), sysfsPWMRoot: String = "/sys/class/pwm") {
        self.clock = clock
        self.sysfsPWMRoot = sysfsPWMRoot
    }

    public func i2cBus(_ number: Int) throws(DeviceError) -> any I2CBus {
        if let bus = buses[number] { return bus }
        let bus = try LinuxI2CBus(busNumber: number)
        buses[number] = bus
        return bus
    }

    public func gpsPort(_ settings: GPSSettings) throws(DeviceError) -> any SerialPort {
        try LinuxSerialPort(path: settings.device, baudRate: settings.baudRate)
    }

    public func safetySwitchInput(_ settings: SafetySwitchSettings) throws(DeviceError) -> any DigitalInput {
        try LinuxGPIOInput(chipName: settings.gpioChip, lineOffset: settings.line, config: settings.inputConfig,
                           clock: clock)
    }

    public func sysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError) -> any PWMOutputs {
        try SysfsPWMOutputs(sysfsRoot: sysfsPWMRoot, chip: chip, channels: channels, config: config, clock: clock)
    }

    public func willReadSensors(atUs nowUs: UInt64) {}

    public func i2cBusClock(_ number: Int) -> I2CBusClock { I2CBusClockReader.clock(bus: number) }
}
