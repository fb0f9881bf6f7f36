import DeviceIO

/// What a board gives the flight software, one level below the drivers: its I2C buses, the GPS serial port, the
/// safety-switch line, a sysfs PWM bank, the clock the drivers time-stamp with, and a hook before each sensor read.
/// The ArduPilot AP_HAL idea without its global singleton: `LinuxHardware` (module LinuxBoard) opens the kernel's
/// devices, `EmulatedHardware` (module EmulatedBoard) the register-level emulators of the SITL plant. The chip
/// drivers on top (`BoardDevices`) are the same code for both, and nothing above this protocol knows which it has.
/// Only the `kestrel` command picks one.
public protocol BoardHardware: AnyObject {
    /// The clock the drivers and the flight loop read (CLOCK_MONOTONIC on Linux, simulated time when emulated).
    var clock: DeviceClock { get }
    /// Shown after a device's name in reports (" (emulated)"), empty on real hardware.
    var deviceNameSuffix: String { get }
    /// True for emulated hardware (reports; bench-only options such as a pre-armed emulated switch).
    var isEmulated: Bool { get }

    /// The I2C bus with this number; each call returns the same bus object (one owner per bus).
    func i2cBus(_ number: Int) throws(DeviceError) -> any I2CBus
    /// The GPS receiver's serial port as the board file describes it.
    func gpsPort(_ settings: GPSSettings) throws(DeviceError) -> any SerialPort
    /// The arm/safety switch input line.
    func safetySwitchInput(_ settings: SafetySwitchSettings) throws(DeviceError) -> any DigitalInput
    /// A Linux sysfs PWM bank (`driver = "sysfs"`), channels in the board's order.
    func sysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError) -> any PWMOutputs

    /// A second handle on I2C bus `number` for the supervisor's safe-output path: its own file descriptor (its own
    /// slave address), never the object the real-time thread's drivers use. The kernel serialises the two handles
    /// at the adapter, a transfer at a time.
    func supervisorI2CBus(_ number: Int) throws(DeviceError) -> any I2CBus
    /// The supervisor's own writer of a sysfs PWM bank's safe pulses (its own `duty_cycle` files), for a bank
    /// `sysfsPWM` has set up.
    func supervisorSysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError)
        -> any SafePulseWriter
    /// The line wired to a PCA9685's OE pin, as an output requested inactive (low: outputs follow the chip);
    /// active (high) turns every output off without the bus.
    func outputEnableLine(_ settings: OutputEnableLine) throws(DeviceError) -> any DigitalOutput

    /// A GPIO input the operator wired to PWM output `outputChannel` (the chip's channel number), for measuring the
    /// real frame rate (`check-board --calibrate-pwm`). On hardware the wiring is physical and `outputChannel`
    /// only names it; an emulated board probes that output of its emulator.
    func pwmReferenceInput(gpioChip: String, line: UInt32, outputChannel: Int) throws(DeviceError) -> any DigitalInput

    /// Called at the start of every sensor read at `nowUs` (the real-time thread's sensor task, the board check's
    /// poll). Real hardware does nothing; emulated hardware moves its clock there and, on a bench without a plant,
    /// feeds its emulators a vehicle at rest. Must not allocate or block.
    func willReadSensors(atUs nowUs: UInt64)

    /// Called when the output gate's software arm changes (it follows the mode machine's arming state). A real board
    /// could light an arming LED; an emulated bench with a plant fires its catapult some time after the arm, as a
    /// launch crew would. Must not allocate or block.
    func outputsArmedChanged(_ armed: Bool)

    /// The pulse width the servo on bank index `index` sees now, where the board can measure it (an emulated
    /// board reads its emulator; real hardware has no scope on the pin and returns nil).
    func observedPulseUs(bankIndex index: Int, board: BoardConfig) -> Double?
}

extension BoardHardware {
    public func outputsArmedChanged(_ armed: Bool) {}
    public func observedPulseUs(bankIndex index: Int, board: BoardConfig) -> Double? { nil }
}
