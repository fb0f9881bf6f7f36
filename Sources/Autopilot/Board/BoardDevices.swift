import DeviceIO
import Drivers
import Simulation

/// Opens the devices a board file names and brings up their drivers: Linux devices (`LinuxI2CBus`,
/// `LinuxGPIOInput`, `SysfsPWMOutputs`, `LinuxSerialPort`) on a real board, register-level emulators on an
/// emulated one. The drivers are the same either way. Every device is tried, so one missing sensor does not hide
/// the others: what failed is in `errors`, each naming the device and the fix.
public final class BoardDevices {
    public let board: BoardConfig
    /// Set when the devices are emulators; feed them through it.
    public let emulation: EmulatedBoard?
    public let clock: DeviceClock

    public private(set) var imu: MPU6000<AnyI2CBus>?
    public private(set) var barometer: BMP280<AnyI2CBus>?
    public private(set) var airspeed: MS4525DO<AnyI2CBus>?
    public private(set) var gpsPort: (any SerialPort)?
    public private(set) var safetySwitch: SafetySwitch<AnyDigitalInput>?
    /// Indexed like the board's `[[pwm.channels]]`; outputs start at their safe pulses and disabled.
    public private(set) var outputs: (any PWMOutputs)?
    public private(set) var errors: [BoardDeviceError] = []

    private var linuxBuses: [Int: AnyI2CBus] = [:]

    /// - Parameters:
    ///   - emulated: use emulators even if the board file describes real hardware (`check-board --emulated`).
    ///   - switchArmed: where the emulated safety switch starts.
    public init(board: BoardConfig, emulated: Bool = false, switchArmed: Bool = false,
                systemClock: DeviceClock = SystemMonotonicClock())
    {
        self.board = board
        if emulated || board.emulated {
            let emulation = EmulatedBoard(board: board, switchArmed: switchArmed)
            self.emulation = emulation
            clock = emulation.clock
        } else {
            emulation = nil
            clock = systemClock
        }
        openAll()
    }

    /// Brings the drivers up on emulators built beforehand (so faults can be injected before bring-up).
    public init(board: BoardConfig, emulation: EmulatedBoard) {
        self.board = board
        self.emulation = emulation
        clock = emulation.clock
        openAll()
    }

    private func openAll() {
        openIMU()
        openBarometer()
        openAirspeed()
        openGPS()
        openSafetySwitch()
        openOutputs()
    }

    public func deviceName(_ role: BoardDeviceRole) -> String {
        func i2c(_ chip: String, _ bus: Int, _ address: UInt8) -> String {
            "\(chip) at \(hexAddress(address)) on I2C bus \(bus)\(emulation == nil ? "" : " (emulated)")"
        }
        switch role {
        case .imu: return i2c("MPU-" + board.imu.chip.dropFirst(3),
                                board.imu.i2cBus, board.imu.address)
        case .barometer: return i2c("BMP280", board.barometer.i2cBus, board.barometer.address)
        case .airspeed:
            guard let a = board.airspeed else { return "none" }
            return i2c("MS4525DO", a.i2cBus, a.address)
        case .gps:
            return "\(board.gps.device) at \(board.gps.baudRate) baud\(emulation == nil ? "" : " (emulated)")"
        case .safetySwitch:
            return "\(board.safetySwitch.gpioChip) line \(board.safetySwitch.line)\(emulation == nil ? "" : " (emulated)")"
        case .pwm:
            switch board.pwm.driver {
            case .pca9685(let bus, let address, _): return i2c("PCA9685", bus, address)
            case .sysfs(let chip): return "/sys/class/pwm/pwmchip\(chip)\(emulation == nil ? "" : " (emulated)")"
            }
        }
    }

    private func record(_ role: BoardDeviceRole, _ cause: BoardDeviceError.Cause) {
        errors.append(BoardDeviceError(role: role, device: deviceName(role), cause: cause))
    }

    /// One bus object per bus number, opened on first use; a bus that cannot be opened is reported per device.
    private func bus(_ number: Int) throws(DeviceError) -> AnyI2CBus {
        if let bus = linuxBuses[number] { return bus }
        let bus: AnyI2CBus
        if let emulation {
            bus = AnyI2CBus(emulation.bus(number))
        } else {
            bus = AnyI2CBus(try LinuxI2CBus(busNumber: number))
        }
        linuxBuses[number] = bus
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

    private func openGPS() {
        if let emulation {
            gpsPort = emulation.gps
            return
        }
        do {
            gpsPort = try LinuxSerialPort(path: board.gps.device, baudRate: board.gps.baudRate)
        } catch {
            record(.gps, .device(error))
        }
    }

    private func openSafetySwitch() {
        do {
            let input: any DigitalInput
            if let emulation {
                input = emulation.safetySwitch
            } else {
                input = try LinuxGPIOInput(chipName: board.safetySwitch.gpioChip, lineOffset: board.safetySwitch.line,
                                           config: board.safetySwitch.inputConfig, clock: clock)
            }
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
                    outputs = MappedPWMOutputs(base: chip, hardwareChannels: channels.map(\.channel))
                } catch {
                    record(.pwm, .driver(error))
                }
            } catch {
                record(.pwm, .device(error))
            }
        case .sysfs(let chip):
            if let bank = emulation?.sysfsPWM {
                outputs = bank
                return
            }
            do {
                outputs = try SysfsPWMOutputs(
                    chip: chip, channels: channels.map(\.channel),
                    config: PWMBankConfig(frequencyHz: board.pwm.frequencyHz, safePulseUs: channels.map(\.safeUs)),
                    clock: clock)
            } catch {
                record(.pwm, .device(error))
            }
        }
    }
}
