import DeviceIO
import Drivers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// LinuxI2CBus against the kernel's i2c-stub (chips at 0x40, 0x68, 0x76, 0x77): opening, byte/word/block
/// transfers, the kernel's errnos mapped to DeviceError, and the BMP280 and PCA9685 drivers end to end.
/// The guest script has preloaded the BMP280's registers (chip ID, the datasheet's calibration example and ADC
/// words) with i2cset, a writer independent of the code under test.
struct I2CChecks {
    let checks: Checks
    let busNumber: Int

    func run() {
        openErrors()
        guard let bus = open() else { return }
        transfers(bus)
        bmp280(bus)
        pca9685(bus)
        mpuResetNeverClears(bus)
    }

    private func open() -> LinuxI2CBus? {
        do throws(DeviceError) {
            let bus = try LinuxI2CBus(busNumber: busNumber)
            checks.check("i2c: open /dev/i2c-\(busNumber) (i2c-stub)", true)
            return bus
        } catch {
            checks.fail("i2c: open /dev/i2c-\(busNumber) (i2c-stub)", "\(error)")
            return nil
        }
    }

    private func openErrors() {
        let missing = thrownError { () throws(DeviceError) in _ = try LinuxI2CBus(busNumber: 97) }
        checks.check("i2c: missing /dev/i2c-97 -> missing", missing == .missing(.i2c, path: "/dev/i2c-97"),
                     "\(String(describing: missing))")
        // Device nodes under /dev: a tmpfs /tmp may be mounted nodev (Debian 13), where any node opens with EACCES.
        // A node of i2c-dev's major (89) whose adapter does not exist: the kernel answers ENODEV at open.
        let noAdapter = "/dev/kestrel-i2c-no-adapter"
        unlink(noAdapter)
        if mknod(noAdapter, S_IFCHR | 0o600, characterDevice(major: 89, minor: 201)) == 0 {
            let error = thrownError { () throws(DeviceError) in _ = try LinuxI2CBus(busNumber: 201, devicePath: noAdapter) }
            checks.check("i2c: node without an adapter (ENODEV) -> missing", error == .missing(.i2c, path: noAdapter),
                         "\(String(describing: error))")
        } else {
            checks.fail("i2c: node without an adapter (ENODEV) -> missing", "mknod failed: errno \(errno)")
        }
        // A character node of a major no driver registered: the kernel answers ENXIO at open.
        let noDriver = "/dev/kestrel-i2c-no-driver"
        unlink(noDriver)
        if mknod(noDriver, S_IFCHR | 0o600, characterDevice(major: 60, minor: 0)) == 0 {
            let error = thrownError { () throws(DeviceError) in _ = try LinuxI2CBus(busNumber: 0, devicePath: noDriver) }
            checks.check("i2c: node without a driver (ENXIO) -> missing", error == .missing(.i2c, path: noDriver),
                         "\(String(describing: error))")
        } else {
            checks.fail("i2c: node without a driver (ENXIO) -> missing", "mknod failed: errno \(errno)")
        }
        let notAdapter = thrownError { () throws(DeviceError) in _ = try LinuxI2CBus(busNumber: 0, devicePath: "/dev/null") }
        checks.check("i2c: /dev/null -> wrongDeviceType",
                     notAdapter == .wrongDeviceType(.i2c, path: "/dev/null", expected: "an I2C adapter (i2c-dev)"),
                     "\(String(describing: notAdapter))")
    }

    private func transfers(_ bus: LinuxI2CBus) {
        let chip: UInt8 = 0x77  // a stub chip no driver below uses: a scratch register file
        var ok = thrownError { () throws(DeviceError) in try bus.writeByte(address: chip, register: 0x10, value: 0xA5) } == nil
        let byte = try? bus.readByte(address: chip, register: 0x10)
        checks.check("i2c: byte write then read", ok && byte == 0xA5, "read \(String(describing: byte))")

        // i2c-stub keeps one 16-bit word per register (a byte access uses its low byte), unlike a chip with an
        // auto-incrementing register pointer: only the word's own register is checked.
        ok = thrownError { () throws(DeviceError) in try bus.writeWord(address: chip, register: 0x20, value: 0x1234) } == nil
        let low = try? bus.readByte(address: chip, register: 0x20)
        let word = try? bus.readWord(address: chip, register: 0x20)
        checks.check("i2c: word write, byte read gives the low byte (SMBus order)", ok && low == 0x34,
                     "read \(String(describing: low))")
        checks.check("i2c: word write then word read", word == 0x1234, "read \(String(describing: word))")

        let pattern: [UInt8] = (0..<32).map { UInt8($0 &* 7 &+ 3) }
        let writeError = writeBlock(bus, chip, 0x40, pattern)
        let (back, readError) = readBlock(bus, chip, 0x40, count: 32)
        checks.check("i2c: 32-byte block write then read", writeError == nil && readError == nil && back == pattern,
                     "write \(String(describing: writeError)), read \(String(describing: readError)) \(back)")
        let fifth = try? bus.readByte(address: chip, register: 0x45)
        checks.check("i2c: block write lands in consecutive registers", fifth == pattern[5], "\(String(describing: fifth))")

        let (_, lengthError) = readBlock(bus, chip, 0, count: 33)
        checks.check("i2c: 33-byte block -> invalidRequest",
                     lengthError == .invalidRequest(.i2c, path: "/dev/i2c-\(busNumber)", detail: "block length must be 1...32 bytes"),
                     "\(String(describing: lengthError))")

        // i2c-stub answers an address it does not emulate with ENODEV.
        let absent = thrownError { () throws(DeviceError) in _ = try bus.readByte(address: 0x50, register: 0) }
        checks.check("i2c: no chip at 0x50 (ENODEV) -> noDeviceAtAddress",
                     absent == .noDeviceAtAddress(bus: busNumber, address: 0x50), "\(String(describing: absent))")
        let after = try? bus.readByte(address: chip, register: 0x10)
        checks.check("i2c: the bus still works after a failed transfer", after == 0xA5, "\(String(describing: after))")
        let wide = thrownError { () throws(DeviceError) in _ = try bus.readByte(address: 0x80, register: 0) }
        checks.check("i2c: 8-bit address -> invalidRequest",
                     wide == .invalidRequest(.i2c, path: "/dev/i2c-\(busNumber)", detail: "address must be 7-bit (0x00...0x7F)"),
                     "\(String(describing: wide))")
        // i2c-stub has no plain I2C (I2C_FUNC_I2C is 0): read() fails with EOPNOTSUPP, a typed error.
        var plain = [UInt8](repeating: 0, count: 2)
        let plainError = plain.withUnsafeMutableBytes { raw in
            thrownError { () throws(DeviceError) in try bus.read(address: chip, into: raw) }
        }
        checks.check("i2c: plain read on an SMBus-only adapter -> wrongDeviceType",
                     plainError == .wrongDeviceType(.i2c, path: "/dev/i2c-\(busNumber)",
                                                    expected: "an adapter supporting this SMBus transfer"),
                     "\(String(describing: plainError))")
    }

    private func bmp280(_ bus: LinuxI2CBus) {
        let clock = SystemMonotonicClock()
        do throws(DriverError) {
            let barometer = try BMP280(bus: bus, address: 0x76, clock: clock)
            let c = barometer.calibration
            // Bosch BST-BMP280-DS001 section 3.12's example trimming values, as preloaded.
            checks.check("bmp280: calibration decoded from 0x88...0x9F",
                         c.digT1 == 27504 && c.digT2 == 26435 && c.digT3 == -1000 && c.digP1 == 36477
                            && c.digP2 == -10685 && c.digP3 == 3024 && c.digP4 == 2855 && c.digP5 == 140
                            && c.digP6 == -7 && c.digP7 == 15500 && c.digP8 == -14600 && c.digP9 == 6000, "\(c)")
            let reset = try? bus.readByte(address: 0x76, register: 0xE0)
            checks.check("bmp280: soft reset 0xB6 written to 0xE0", reset == 0xB6, "\(String(describing: reset))")
            let config = barometer.config
            let control = try? bus.readByte(address: 0x76, register: 0xF4)
            let expected = config.temperatureOversampling << 5 | config.pressureOversampling << 2 | 0x03
            checks.check("bmp280: ctrl_meas holds oversampling and normal mode", control == expected,
                         "0xF4 = \(String(describing: control)), expected \(expected)")
            let sample = try barometer.read(timestampUs: clock.nowUs())
            // The datasheet's example: adc_T 519888, adc_P 415148 -> 25.08 °C, 100653.27 Pa.
            checks.check("bmp280: datasheet ADC words -> 25.08 °C", abs(sample.temperatureC - 25.08) < 0.01,
                         "\(sample.temperatureC) °C")
            checks.check("bmp280: datasheet ADC words -> 100653.27 Pa", abs(sample.pressurePa - 100_653.27) < 0.5,
                         "\(sample.pressurePa) Pa")
        } catch {
            checks.fail("bmp280: start and read on i2c-stub", "\(error)")
        }
        // A BME280 (chip ID 0x60) at the address is refused by name.
        _ = try? bus.writeByte(address: 0x76, register: 0xD0, value: 0x60)
        let wrong = thrownError { () throws(DriverError) in _ = try BMP280(bus: bus, address: 0x76, clock: clock) }
        checks.check("bmp280: chip ID 0x60 -> unexpectedChipID",
                     wrong == .unexpectedChipID(chip: "BMP280", bus: busNumber, address: 0x76, found: 0x60),
                     "\(String(describing: wrong))")
        _ = try? bus.writeByte(address: 0x76, register: 0xD0, value: 0x58)
    }

    private func pca9685(_ bus: LinuxI2CBus) {
        let clock = SystemMonotonicClock()
        // Stale state from "before": PWM running (RESTART set), a pulse on LED0.
        _ = try? bus.writeByte(address: 0x40, register: 0x00, value: 0xA1)
        let bank = PWMBankConfig(frequencyHz: 50, safePulseUs: [1500, 1000, 1000, 1000])
        do throws(DriverError) {
            let pwm = try PCA9685(bus: bus, address: 0x40, config: PCA9685Config(bank: bank), clock: clock)
            // Datasheet equation 1: round(25 MHz / (4096 · 50 Hz)) − 1 = 121.
            let prescale = try? bus.readByte(address: 0x40, register: 0xFE)
            checks.check("pca9685: PRE_SCALE 121 for 50 Hz", prescale == 121 && pwm.preScale == 121,
                         "register \(String(describing: prescale)), driver \(pwm.preScale)")
            let mode1 = try? bus.readByte(address: 0x40, register: 0x00)
            let mode2 = try? bus.readByte(address: 0x40, register: 0x01)
            checks.check("pca9685: MODE1 awake with auto-increment", mode1.map { $0 & 0x30 == 0x20 } ?? false,
                         "MODE1 \(String(describing: mode1))")
            checks.check("pca9685: MODE2 totem-pole", mode2 == 0x04, "MODE2 \(String(describing: mode2))")
            let allOff = try? bus.readByte(address: 0x40, register: 0xFD)
            checks.check("pca9685: all outputs fully off at start", allOff.map { $0 & 0x10 != 0 } ?? false,
                         "ALL_LED_OFF_H \(String(describing: allOff))")
            do throws(DeviceError) {
                try pwm.setEnabled(true)
                // 1500 µs at 25 MHz / 122 / 4096 counts: 1500 · 25 / 122 = 307.4 -> 307 (0x133).
                checks.check("pca9685: enable writes the safe pulse 1500 µs -> LED0 0/307",
                             try ledRegisters(bus, channel: 0) == [0, 0, 0x33, 0x01],
                             "\(String(describing: try? ledRegisters(bus, channel: 0)))")
                try pwm.setPulseWidth(channel: 1, pulseUs: 2000)
                // 2000 · 25 / 122 = 409.8 -> 410 (0x19A).
                checks.check("pca9685: 2000 µs on channel 1 -> LED1 0/410",
                             try ledRegisters(bus, channel: 1) == [0, 0, 0x9A, 0x01],
                             "\(String(describing: try? ledRegisters(bus, channel: 1)))")
                try bus.writeByte(address: 0x40, register: 0xFD, value: 0)
                try pwm.stop()
                let stopped = try bus.readByte(address: 0x40, register: 0xFD)
                checks.check("pca9685: stop sets ALL_LED full-off", stopped & 0x10 != 0, "ALL_LED_OFF_H \(stopped)")
                let bad = thrownError { () throws(DeviceError) in try pwm.setPulseWidth(channel: 9, pulseUs: 1500) }
                checks.check("pca9685: unconfigured channel -> invalidRequest", bad != nil, "accepted")
            } catch {
                checks.fail("pca9685: output registers", "\(error)")
            }
        } catch {
            checks.fail("pca9685: start on i2c-stub", "\(error)")
        }
    }

    private func ledRegisters(_ bus: LinuxI2CBus, channel: UInt8) throws(DeviceError) -> [UInt8] {
        var registers = [UInt8](repeating: 0xEE, count: 4)
        for i in 0..<4 { registers[i] = try bus.readByte(address: 0x40, register: 0x06 + 4 * channel + UInt8(i)) }
        return registers
    }

    /// Without the chip player, i2c-stub keeps DEVICE_RESET set: the driver must give up with a named fault.
    private func mpuResetNeverClears(_ bus: LinuxI2CBus) {
        let error = thrownError { () throws(DriverError) in
            _ = try MPU6000(bus: bus, address: 0x68, clock: SystemMonotonicClock())
        }
        checks.check("mpu6050: a reset bit that never clears -> sensorFault",
                     error == .sensorFault(chip: "MPU-6000", bus: busNumber, address: 0x68, detail: "DEVICE_RESET did not complete"),
                     "\(String(describing: error))")
    }
}
