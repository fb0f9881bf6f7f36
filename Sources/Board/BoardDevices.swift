import DeviceIO
import Drivers

/// The chip drivers of a board, brought up on whatever `BoardHardware` gives them: the kernel's devices on a flight
/// board, register-level emulators in SITL. The drivers are the same either way. Every device is tried, so one
/// missing sensor does not hide the others: what failed is in `errors`, each naming the device and the fix.
public final class BoardDevices {
    public let board: BoardConfig
    public let hardware: any BoardHardware
    public var clock: DeviceClock { hardware.clock }

    public private(set) var imu: MPU6000<AnyI2CBus>?
    public private(set) var barometer: BMP280<AnyI2CBus>?
    public private(set) var airspeed: MS4525DO<AnyI2CBus>?
    public private(set) var batteryMonitor: INA226<AnyI2CBus>?
    public private(set) var gpsPort: (any SerialPort)?
    /// What the start-up configuration found and set (nil with `configure = false` or when it failed).
    public private(set) var gpsSetup: UBloxSetupReport?
    public private(set) var safetySwitch: SafetySwitch<AnyDigitalInput>?
    /// Indexed like the board's `[[pwm.channels]]`; outputs start at their safe pulses and disabled.
    public private(set) var outputs: (any PWMOutputs)?
    public private(set) var errors: [BoardDeviceError] = []

    private var buses: [Int: AnyI2CBus] = [:]

    public init(board: BoardConfig, hardware: any BoardHardware) {
        self.board = board
        self.hardware = hardware
        openIMU()
        openBarometer()
        openAirspeed()
        openBatteryMonitor()
        openGPS()
        openSafetySwitch()
        openOutputs()
    }

    public func deviceName(_ role: BoardDeviceRole) -> String {
        func i2c(_ chip: String, _ bus: Int, _ address: UInt8) -> String {
            "\(chip) at \(hexAddress(address)) on I2C bus \(bus)\(hardware.deviceNameSuffix)"
        }
        switch role {
        case .imu: return i2c("MPU-" + board.imu.chip.dropFirst(3),
                                board.imu.i2cBus, board.imu.address)
        case .barometer: return i2c("BMP280", board.barometer.i2cBus, board.barometer.address)
        case .airspeed:
            guard let a = board.airspeed else { return "none" }
            return i2c("MS4525DO", a.i2cBus, a.address)
        case .batteryMonitor:
            guard let m = board.batteryMonitor else { return "none" }
            return i2c("INA226", m.i2cBus, m.address)
        case .gps:
            return "\(board.gps.device) at \(board.gps.baudRate) baud\(hardware.deviceNameSuffix)"
        case .safetySwitch:
            return "\(board.safetySwitch.gpioChip) line \(board.safetySwitch.line)\(hardware.deviceNameSuffix)"
        case .pwm:
            switch board.pwm.driver {
            case .pca9685(let bus, let address, _): return i2c("PCA9685", bus, address)
            case .sysfs(let chip): return "/sys/class/pwm/pwmchip\(chip)\(hardware.deviceNameSuffix)"
            }
        case .outputEnable:
            guard let line = board.pwm.outputEnable else { return "none" }
            return "\(line.gpioChip) line \(line.line)\(hardware.deviceNameSuffix)"
        }
    }

    private func record(_ role: BoardDeviceRole, _ cause: BoardDeviceError.Cause) {
        errors.append(BoardDeviceError(role: role, device: deviceName(role), cause: cause))
    }

    /// One bus object per bus number, opened on first use; a bus that cannot be opened is reported per device.
    private func bus(_ number: Int) throws(DeviceError) -> AnyI2CBus {
        if let bus = buses[number] { return bus }
        let bus = AnyI2CBus(try hardware.i2cBus(number))
        buses[number] = bus
        return bus
    }

    private func openIMU() {
        do throws(DeviceError) {
            let bus = try bus(board.imu.i2cBus)
            do {
                imu = try MPU6000(bus: bus, address: board.imu.address, config: board.imu.driverConfig, clock: clock)
            } catch {
                record(.imu, .driver(error))
            }
        } catch {
            record(.imu, .device(error))
        }
    }

    private func openBarometer() {
        do throws(DeviceError) {
            let bus = try bus(board.barometer.i2cBus)
            do {
                barometer = try BMP280(bus: bus, address: board.barometer.address, clock: clock)
            } catch {
                record(.barometer, .driver(error))
            }
        } catch {
            record(.barometer, .device(error))
        }
    }

    private func openAirspeed() {
        guard let settings = board.airspeed else { return }
        do throws(DeviceError) {
            let bus = try bus(settings.i2cBus)
            do {
                let sensor = try MS4525DO(bus: bus, address: settings.address, config: settings.driverConfig)
                // The part has no identity register: one read proves it answers.
                _ = try sensor.read(timestampUs: clock.nowUs())
                airspeed = sensor
            } catch {
                record(.airspeed, .driver(error))
            }
        } catch {
            record(.airspeed, .device(error))
        }
    }

    private func openBatteryMonitor() {
        guard let settings = board.batteryMonitor else { return }
        do throws(DeviceError) {
            let bus = try bus(settings.i2cBus)
            do {
                batteryMonitor = try INA226(bus: bus, address: settings.address, config: settings.driverConfig)
            } catch {
                record(.batteryMonitor, .driver(error))
            }
        } catch {
            record(.batteryMonitor, .device(error))
        }
    }

    /// Opens the receiver's port (exclusively) and, unless the board says otherwise, configures the receiver
    /// before anything reads it: this blocks for up to its budget, which is why it happens here, before the
    /// real-time loop exists. A receiver that cannot be configured leaves no port: flying on a receiver in an
    /// unknown state (wrong model, wrong rate, two protocols) is what the set-up is there to prevent.
    private func openGPS() {
        let port: any SerialPort
        do {
            port = try hardware.gpsPort(board.gps)
        } catch {
            record(.gps, .device(error))
            return
        }
        if board.gps.configure {
            let configurator = UBloxConfigurator(port: port, portName: board.gps.device + hardware.deviceNameSuffix,
                                                 clock: clock, settings: board.gps.receiverSetup)
            do {
                gpsSetup = try configurator.run()
            } catch {
                record(.gps, .gpsSetup(error))
                return
            }
        }
        gpsPort = port
    }

    private func openSafetySwitch() {
        do {
            let input = try hardware.safetySwitchInput(board.safetySwitch)
            safetySwitch = try SafetySwitch(input: AnyDigitalInput(input))
        } catch {
            record(.safetySwitch, .device(error))
        }
    }

    private func openOutputs() {
        let channels = board.pwm.channels
        switch board.pwm.driver {
        case .pca9685(let busNumber, let address, let oscillatorHz):
            // The chip's bank covers channels 0…max; unlisted ones stay at 0 µs (no pulses).
            let size = (channels.map(\.channel).max() ?? 0) + 1
            var safe = [UInt16](repeating: 0, count: size)
            for ch in channels { safe[ch.channel] = ch.safeUs }
            do throws(DeviceError) {
                let bus = try bus(busNumber)
                do {
                    let chip = try PCA9685(
                        bus: bus, address: address,
                        config: PCA9685Config(bank: PWMBankConfig(frequencyHz: board.pwm.frequencyHz, safePulseUs: safe),
                                              oscillatorHz: oscillatorHz),
                        clock: clock)
                    chip.registerCheckPeriod = max(1, Int(board.realtime.baseRateHz / PCA9685<AnyI2CBus>.registerCheckRateHz))
                    outputs = MappedPWMOutputs(base: chip, hardwareChannels: channels.map(\.channel))
                } catch {
                    record(.pwm, .driver(error))
                }
            } catch {
                record(.pwm, .device(error))
            }
        case .sysfs(let chip):
            do {
                outputs = try hardware.sysfsPWM(
                    chip: chip, channels: channels.map(\.channel),
                    config: PWMBankConfig(frequencyHz: board.pwm.frequencyHz, safePulseUs: channels.map(\.safeUs)))
            } catch {
                record(.pwm, .device(error))
            }
        }
    }
}
