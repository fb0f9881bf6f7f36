import Board
import DeviceIO
import EmulatedBoard

/// A HIL rig's board (`kestrel fly --hil ENDPOINT --hil-servos`): the sensors, GPS and safety switch are the HIL
/// emulators (`hil`, fed from the simulator), and the servo outputs the board file names go to the emulated output
/// device (whose pulses go back as HIL_ACTUATOR_CONTROLS) and to the board's real one (`real`: the PCA9685 on its
/// I2C bus, or the sysfs PWM chip, and the OE line), so the surfaces move on the bench as the simulator flies them.
/// The supervisor's safe pulses reach the real device through its own handles, as on a flight board.
public final class HILRigHardware: BoardHardware {
    public let hil: EmulatedHardware
    public let real: any BoardHardware
    public let board: BoardConfig
    private var mirroredBus: MirroredChipBus?

    public init(hil: EmulatedHardware, real: any BoardHardware, board: BoardConfig) {
        self.hil = hil
        self.real = real
        self.board = board
    }

    public var clock: DeviceClock { hil.clock }
    public var deviceNameSuffix: String { hil.deviceNameSuffix }
    public var isEmulated: Bool { true }

    /// The servo board's bus and address, for `driver = "pca9685"`.
    private var servoChip: (bus: Int, address: UInt8)? {
        if case .pca9685(let bus, let address, _) = board.pwm.driver { return (bus, address) }
        return nil
    }

    /// On the servo board's bus, one mirrored bus (the same object on every call); any other bus is the HIL one.
    public func i2cBus(_ number: Int) throws(DeviceError) -> any I2CBus {
        guard let chip = servoChip, chip.bus == number else { return try hil.i2cBus(number) }
        if let mirroredBus { return mirroredBus }
        let bus = MirroredChipBus(emulated: try hil.i2cBus(number), real: try real.i2cBus(number),
                                  address: chip.address)
        mirroredBus = bus
        return bus
    }

    public func gpsPort(_ settings: GPSSettings) throws(DeviceError) -> any SerialPort { try hil.gpsPort(settings) }

    public func safetySwitchInput(_ settings: SafetySwitchSettings) throws(DeviceError) -> any DigitalInput {
        try hil.safetySwitchInput(settings)
    }

    public func sysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError) -> any PWMOutputs {
        MirroredPWMOutputs(emulated: try hil.sysfsPWM(chip: chip, channels: channels, config: config),
                           real: try real.sysfsPWM(chip: chip, channels: channels, config: config))
    }

    public func supervisorI2CBus(_ number: Int) throws(DeviceError) -> any I2CBus {
        guard let chip = servoChip, chip.bus == number else { return try hil.supervisorI2CBus(number) }
        return MirroredChipBus(emulated: try hil.supervisorI2CBus(number), real: try real.supervisorI2CBus(number),
                               address: chip.address)
    }

    public func supervisorSysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError)
        -> any SafePulseWriter
    {
        MirroredSafePulseWriter(
            emulated: try hil.supervisorSysfsPWM(chip: chip, channels: channels, config: config),
            real: try real.supervisorSysfsPWM(chip: chip, channels: channels, config: config))
    }

    public func outputEnableLine(_ settings: OutputEnableLine) throws(DeviceError) -> any DigitalOutput {
        MirroredDigitalOutput(emulated: try hil.outputEnableLine(settings), real: try real.outputEnableLine(settings))
    }

    public func pwmReferenceInput(gpioChip: String, line: UInt32, outputChannel: Int) throws(DeviceError)
        -> any DigitalInput
    {
        try real.pwmReferenceInput(gpioChip: gpioChip, line: line, outputChannel: outputChannel)
    }

    public func willReadSensors(atUs nowUs: UInt64) { hil.willReadSensors(atUs: nowUs) }
    public func outputsArmedChanged(_ armed: Bool) { hil.outputsArmedChanged(armed) }

    public func observedPulseUs(bankIndex index: Int, board: BoardConfig) -> Double? {
        hil.observedPulseUs(bankIndex: index, board: board)
    }

    public func i2cBusClock(_ number: Int) -> I2CBusClock {
        guard let chip = servoChip, chip.bus == number else { return hil.i2cBusClock(number) }
        return real.i2cBusClock(number)
    }
}
