import Board
import DeviceIO
import Drivers
import FlightMath
import Simulation

/// The register-level emulators standing in for a board's devices, all on one manual clock: the SITL plant's
/// board, and the bench board of `kestrel fly --emulated` and `check-board --emulated`. Whoever drives the
/// simulation feeds them physical samples (the SITL plant each step; on a bench, `bench` feeds a vehicle at rest
/// before each sensor read); the real drivers read them through `DeviceIO`.
public final class EmulatedHardware: BoardHardware {
    public let manualClock: ManualClock
    public var clock: DeviceClock { manualClock }
    /// " (emulated)"; a HIL board, whose emulators a simulator feeds over MAVLink, says " (HIL)".
    public var deviceNameSuffix = " (emulated)"
    public var isEmulated: Bool { true }
    /// What feeds the emulators before each sensor read on a bench (a vehicle at rest, or a plant flying in real
    /// time); nil when a lockstep plant feeds them (SITL).
    public var bench: (any EmulatedBench)?
    public private(set) var buses: [Int: EmulatedI2CBus] = [:]
    public let board: BoardConfig
    private let unsharedLock = EmulatedAdapterLock()
    public let imu: MPU6050Emulator
    public let barometer: BMP280Emulator
    public let airspeed: MS4525DOEmulator?
    /// The battery monitor, for a board with `[battery_monitor]`: it reads 0 V until whoever runs the bench feeds it
    /// a pack (as a real INA226 with nothing on VBUS does).
    public let batteryMonitor: INA226Emulator?
    public let gps: EmulatedGPS
    public let safetySwitch: EmulatedSwitch
    /// The servo board, for `driver = "pca9685"`; the plant reads `pulseUs(channel:)` on the hardware channel.
    public let pca9685: PCA9685Emulator?
    /// The output bank itself, for `driver = "sysfs"`, indexed like the board's channel list.
    public let sysfsPWM: EmulatedPWMOutputs?
    /// The SCL frequency the emulated buses stand for (the bus-time budget uses it): the flight boards' 400 kHz.
    public var i2cClockHz = 400_000.0
    /// Sensors whose measurement is stuck (a scenario's `effect = "stuck"`): the chip keeps answering and
    /// converting, but every conversion carries the value it had when the fault began.
    public var stuckSensors: StuckSensors = []
    /// The last sample each sensor was fed while not stuck: what a stuck one keeps converting.
    var heldIMU: IMUSample?
    var heldBaro: BaroSample?
    var heldAirspeed: AirspeedSample?

    /// - Parameter utcAtClockZeroUnixS: the GPS receiver's UTC when `clock` reads zero; nil for the emulator's
    ///   fixed default, which keeps fast-time runs deterministic. A run paced to the wall clock passes "now", so a
    ///   ground operator's tools agree with the vehicle on when a request expires.
    /// - Parameter pca9685Oscillator: the emulated servo board's own oscillator (real parts are a few per cent off
    ///   the 25 MHz a board file assumes).
    public init(board: BoardConfig, clock: ManualClock = ManualClock(), switchArmed: Bool = false,
                utcAtClockZeroUnixS: Int64? = nil, bench: (any EmulatedBench)? = nil,
                pca9685Oscillator: PCA9685Emulator.Config = .init()) {
        manualClock = clock
        self.bench = bench
        self.board = board
        imu = MPU6050Emulator(config: .init(bodyToChip: Self.bodyToChip(board.imu.orientation)), clock: clock)
        barometer = BMP280Emulator(clock: clock)
        airspeed = board.airspeed.map {
            MS4525DOEmulator(config: .init(outputType: $0.outputType == .typeA ? .typeA : .typeB,
                                           rangePsi: $0.rangePsi, swapPorts: $0.swapPorts))
        }
        batteryMonitor = board.batteryMonitor.map { INA226Emulator(shuntOhm: $0.shuntOhm) }
        // A board that configures its receiver gets one straight from the factory (9600 baud, NMEA, 1 Hz), so every
        // SITL run goes through the real set-up; one that does not gets a receiver configured beforehand.
        var gpsConfig: EmulatedGPSConfig
        if board.gps.configure {
            gpsConfig = .factoryDefault()
        } else {
            gpsConfig = EmulatedGPSConfig(output: board.gps.protocolKind == .nmea ? .nmea : .ubx,
                                          rateHz: board.gps.rateHz, baudRate: board.gps.baudRate)
        }
        if let utcAtClockZeroUnixS { gpsConfig.utcAtClockZeroUnixS = utcAtClockZeroUnixS }
        gps = EmulatedGPS(config: gpsConfig, clock: clock)
        safetySwitch = EmulatedSwitch(initiallyActive: switchArmed, config: board.safetySwitch.inputConfig,
                                      clock: clock)
        switch board.pwm.driver {
        case .pca9685:
            pca9685 = PCA9685Emulator(config: pca9685Oscillator, clock: clock)
            sysfsPWM = nil
        case .sysfs:
            pca9685 = nil
            sysfsPWM = EmulatedPWMOutputs(config: PWMBankConfig(frequencyHz: board.pwm.frequencyHz,
                                                                safePulseUs: board.pwm.channels.map(\.safeUs)))
        }
        attach(imu, bus: board.imu.i2cBus, address: board.imu.address)
        attach(barometer, bus: board.barometer.i2cBus, address: board.barometer.address)
        if let airspeed, let settings = board.airspeed {
            attach(airspeed, bus: settings.i2cBus, address: settings.address)
        }
        if let batteryMonitor, let settings = board.batteryMonitor {
            attach(batteryMonitor, bus: settings.i2cBus, address: settings.address)
        }
        if let pca9685, case .pca9685(let bus, let address, _) = board.pwm.driver {
            attach(pca9685, bus: bus, address: address)
        }
    }

    private func attach(_ chip: any EmulatedI2CChip, bus number: Int, address: UInt8) {
        let bus = buses[number] ?? EmulatedI2CBus(busNumber: number)
        buses[number] = bus
        bus.attach(chip, at: address)
    }

    // MARK: BoardHardware

    public func i2cBus(_ number: Int) throws(DeviceError) -> any I2CBus { bus(number) }

    public func i2cBusClock(_ number: Int) -> I2CBusClock { I2CBusClock(hz: i2cClockHz, source: .emulated) }

    /// The receiver's line, with the host side opened at the board's speed (as a tty is).
    public func gpsPort(_ settings: GPSSettings) throws(DeviceError) -> any SerialPort {
        try gps.setBaudRate(settings.baudRate)
        return gps
    }

    public func safetySwitchInput(_ settings: SafetySwitchSettings) throws(DeviceError) -> any DigitalInput {
        safetySwitch
    }

    public func sysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError) -> any PWMOutputs {
        guard let sysfsPWM else {
            throw DeviceError.invalidRequest(.pwm, path: "pwmchip\(chip)",
                                             detail: "the emulated board was built for a PCA9685, not sysfs PWM")
        }
        return sysfsPWM
    }

    public func willReadSensors(atUs nowUs: UInt64) {
        manualClock.set(toUs: nowUs)
        // The plant reads the servo pulses while the supervisor may be writing safe ones through its own handle.
        if bench != nil { outputLock.withLock { self.bench?.feedDue(self, nowUs: nowUs) } }
    }

    /// The lock a second owner of the output chip takes (engaged only once the supervisor has its handles).
    private var outputLock: EmulatedAdapterLock {
        if let sysfsPWM { return sysfsPWM.adapterLock }
        if case .pca9685(let number, _, _) = board.pwm.driver { return bus(number).adapterLock }
        return unsharedLock
    }

    public func pwmReferenceInput(gpioChip: String, line: UInt32, outputChannel: Int) throws(DeviceError)
        -> any DigitalInput
    {
        guard let pca9685 else {
            throw DeviceError.invalidRequest(.gpio, path: gpioChip,
                                             detail: "the emulated board probes only a PCA9685's outputs")
        }
        return PCA9685OutputProbe(chip: pca9685, channel: outputChannel, clock: manualClock)
    }

    public func supervisorI2CBus(_ number: Int) throws(DeviceError) -> any I2CBus { bus(number).secondHandle() }

    public func supervisorSysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError)
        -> any SafePulseWriter
    {
        guard let sysfsPWM else {
            throw DeviceError.invalidRequest(.pwm, path: "pwmchip\(chip)",
                                             detail: "the emulated board was built for a PCA9685, not sysfs PWM")
        }
        return sysfsPWM.safeWriter()
    }

    public func outputEnableLine(_ settings: OutputEnableLine) throws(DeviceError) -> any DigitalOutput {
        guard let pca9685, case .pca9685(let number, _, _) = board.pwm.driver else {
            throw DeviceError.invalidRequest(.gpio, path: settings.gpioChip,
                                             detail: "an output-enable line needs a PCA9685 on the emulated board")
        }
        return EmulatedOutputEnablePin(chip: pca9685, lock: bus(number).adapterLock)
    }

    public func outputsArmedChanged(_ armed: Bool) {
        bench?.outputsArmedChanged(armed, board: self)
    }

    public func bus(_ number: Int) -> EmulatedI2CBus {
        if let bus = buses[number] { return bus }
        let bus = EmulatedI2CBus(busNumber: number)  // an empty bus: every address NACKs, as on hardware
        buses[number] = bus
        return bus
    }

    /// The rotation from body FRD into the chip's axes, the inverse of the driver's axis mapping.
    static func bodyToChip(_ mapping: AxisMapping) -> Matrix3 {
        // Row i of chip→body picks the chip axis that body axis i lies along, with its sign.
        func row(_ axis: SensorAxis) -> Vector3 {
            switch axis {
            case .plusX: return Vector3(1, 0, 0)
            case .minusX: return Vector3(-1, 0, 0)
            case .plusY: return Vector3(0, 1, 0)
            case .minusY: return Vector3(0, -1, 0)
            case .plusZ: return Vector3(0, 0, 1)
            case .minusZ: return Vector3(0, 0, -1)
            }
        }
        return Matrix3(rows: row(mapping.forward), row(mapping.right), row(mapping.down)).transposed
    }

    /// The pulse the servo on bank index `index` sees now.
    public func observedPulseUs(bankIndex index: Int, board: BoardConfig) -> Double? {
        guard index >= 0, index < board.pwm.channels.count else { return nil }
        if let pca9685 {
            return outputLock.withLock { pca9685.pulseUs(channel: board.pwm.channels[index].channel) }
        }
        return sysfsPWM?.pulseUs(channel: index)
    }
}

