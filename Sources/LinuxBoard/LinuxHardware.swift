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
    /// Held for as long as this board is: the daemon and a board check never drive the devices at once.
    public let boardLock: BoardLock?

    /// - Parameters:
    ///   - sysfsPWMRoot: where the PWM chips are (tests point it at a folder of their own).
    ///   - boardLock: the machine's board lock, taken by the caller (`kestrel fly`, `kestrel check-board`).
    public init(clock: DeviceClock = SystemMonotonicClock(), sysfsPWMRoot: String = "/sys/class/pwm",
                boardLock: BoardLock? = nil) {
        self.clock = clock
        self.sysfsPWMRoot = sysfsPWMRoot
        self.boardLock = boardLock
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

    /// A new `LinuxI2CBus` on every call: a file descriptor of the supervisor's own.
    public func supervisorI2CBus(_ number: Int) throws(DeviceError) -> any I2CBus {
        try LinuxI2CBus(busNumber: number)
    }

    public func supervisorSysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError)
        -> any SafePulseWriter
    {
        try SysfsPWMSafeWriter(sysfsRoot: sysfsPWMRoot, chip: chip, channels: channels, config: config)
    }

    public func outputEnableLine(_ settings: OutputEnableLine) throws(DeviceError) -> any DigitalOutput {
        try LinuxGPIOOutput(chipName: settings.gpioChip, lineOffset: settings.line, activeLow: false,
                            initialActive: false, consumer: "kestrel-oe")
    }

    public func pwmReferenceInput(gpioChip: String, line: UInt32, outputChannel: Int) throws(DeviceError)
        -> any DigitalInput
    {
        try LinuxGPIOInput(chipName: gpioChip, lineOffset: line, config: DigitalInputConfig(consumer: "kestrel-pwm-cal"),
                           clock: clock)
    }

    public func willReadSensors(atUs nowUs: UInt64) {}
}
