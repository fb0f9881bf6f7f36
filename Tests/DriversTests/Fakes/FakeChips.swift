/// MPU-6000 family register behaviour that the driver relies on (register map rev 4.2).
final class FakeMPU6000: FakeRegisterChip {
    let whoAmI: UInt8
    /// Registers whose writes are silently lost (to test read-back verification).
    var stuckRegisters: Set<UInt8> = []
    var resetCount = 0

    init(whoAmI: UInt8 = 0x68) {
        self.whoAmI = whoAmI
        super.init()
        powerOnReset()
    }

    func powerOnReset() {
        registers = [UInt8](repeating: 0, count: 256)
        registers[0x6B] = 0x40  // SLEEP after reset
        registers[0x75] = whoAmI
    }

    override func read(_ register: UInt8) -> UInt8 {
        let value = registers[Int(register)]
        if register == 0x3A { registers[0x3A] = 0 }  // INT_STATUS clears on read
        return value
    }

    override func write(_ register: UInt8, _ value: UInt8) {
        if stuckRegisters.contains(register) { return }
        if register == 0x75 { return }  // read-only
        if register == 0x6B && value & 0x80 != 0 {
            resetCount += 1
            powerOnReset()
            return
        }
        registers[Int(register)] = value
    }

    /// Loads the 14 data registers from big-endian signed values (accel xyz, temperature, gyro xyz).
    func setData(accel: (Int16, Int16, Int16), temperature: Int16, gyro: (Int16, Int16, Int16)) {
        let values = [accel.0, accel.1, accel.2, temperature, gyro.0, gyro.1, gyro.2]
        for (i, v) in values.enumerated() {
            let bits = UInt16(bitPattern: v)
            registers[0x3B + 2 * i] = UInt8(bits >> 8)
            registers[0x3B + 2 * i + 1] = UInt8(bits & 0xFF)
        }
    }
}

/// BMP280: chip id, soft reset, calibration NVM, data registers (datasheet section 4).
final class FakeBMP280: FakeRegisterChip {
    var chipID: UInt8 = 0x58
    var resetCount = 0

    init(calibration: [UInt8]) {
        super.init()
        for (i, b) in calibration.enumerated() { registers[0x88 + i] = b }
        registers[0xD0] = chipID
    }

    override func read(_ register: UInt8) -> UInt8 {
        register == 0xD0 ? chipID : registers[Int(register)]
    }

    override func write(_ register: UInt8, _ value: UInt8) {
        switch register {
        case 0xE0:
            if value == 0xB6 {
                resetCount += 1
                registers[0xF4] = 0
                registers[0xF5] = 0
            }
        case 0xF4, 0xF5:
            registers[Int(register)] = value
        default:
            break  // calibration and data are read-only
        }
    }

    func setADC(pressure: UInt32, temperature: UInt32) {
        registers[0xF7] = UInt8(pressure >> 12 & 0xFF)
        registers[0xF8] = UInt8(pressure >> 4 & 0xFF)
        registers[0xF9] = UInt8((pressure & 0xF) << 4)
        registers[0xFA] = UInt8(temperature >> 12 & 0xFF)
        registers[0xFB] = UInt8(temperature >> 4 & 0xFF)
        registers[0xFC] = UInt8((temperature & 0xF) << 4)
    }
}

/// PCA9685: MODE1 power-on value, PRE_SCALE writable only in SLEEP, auto-increment from MODE1.AI,
/// ALL_LED registers broadcasting into every channel (datasheet 7.3).
final class FakePCA9685: FakeRegisterChip {
    override init() {
        super.init()
        registers[0x00] = 0x11  // SLEEP | ALLCALL
        registers[0x01] = 0x04
        registers[0xFE] = 0x1E  // 200 Hz
    }

    override var autoIncrement: Bool { registers[0] & 0x20 != 0 }

    override func write(_ register: UInt8, _ value: UInt8) {
        switch register {
        case 0xFE:
            if registers[0] & 0x10 != 0 { registers[0xFE] = value }  // ignored while running
        case 0xFA...0xFD:
            registers[Int(register)] = value
            for channel in 0..<16 { registers[0x06 + 4 * channel + Int(register - 0xFA)] = value }
        case 0x00:
            // RESTART is cleared by writing 1; sleeping sets it if PWM was running.
            var newValue = value & ~0x80
            if value & 0x10 != 0 && registers[0] & 0x10 == 0 { newValue |= 0x80 }
            registers[0] = newValue
        default:
            registers[Int(register)] = value
        }
    }

    func channel(_ n: Int) -> (on: UInt16, off: UInt16, fullOn: Bool, fullOff: Bool) {
        let base = 0x06 + 4 * n
        let onH = registers[base + 1], offH = registers[base + 3]
        return (UInt16(registers[base]) | UInt16(onH & 0x0F) << 8, UInt16(registers[base + 2]) | UInt16(offH & 0x0F) << 8,
                onH & 0x10 != 0, offH & 0x10 != 0)
    }
}
