import FlightMath

/// Texas Instruments INA226 current/voltage monitor as its I2C interface presents it: 16-bit big-endian registers
/// behind a pointer byte, each transfer reading or writing the pointed register's two bytes (most significant
/// first), the identity registers "TI" (0x5449) and die id 0x2260, and the configuration register's power-on value
/// 0x4127. The plant feeds the pack voltage and current; the emulator quantises them as the chip's ADCs do (1.25 mV
/// on VBUS, 2.5 µV on the shunt), saturating at their ends.
public final class INA226Emulator: EmulatedI2CChip {
    public static let powerOnConfiguration: UInt16 = 0x4127
    public let shuntOhm: Double
    public private(set) var configuration = powerOnConfiguration
    private var shuntCounts: Int16 = 0
    private var busCounts: UInt16 = 0
    private var byteIndex = 0
    private var pendingHigh: UInt8 = 0

    public init(shuntOhm: Double) {
        self.shuntOhm = shuntOhm
    }

    /// One conversion of the pack's voltage and current (positive discharging).
    public func feed(voltageV: Double, currentA: Double) {
        let bus = (voltageV / 1.25e-3).rounded()
        busCounts = bus.isNaN ? 0 : UInt16(min(max(bus, 0), 0x7FFF))
        let shunt = (currentA * shuntOhm / 2.5e-6).rounded()
        shuntCounts = shunt.isNaN ? 0 : Int16(min(max(shunt, -32_768), 32_767))
    }

    public func registerValue(_ register: UInt8) -> UInt16 {
        switch register {
        case 0x00: configuration
        case 0x01: UInt16(bitPattern: shuntCounts)
        case 0x02: busCounts
        case 0xFE: 0x5449
        case 0xFF: 0x2260
        default: 0
        }
    }

    // MARK: EmulatedI2CChip

    /// Every byte of a transfer addresses the pointer register: the chip steps through its two bytes, not through
    /// registers.
    public var autoIncrement: Bool { false }

    public func beginTransfer() { byteIndex = 0 }

    public func readRegister(_ register: UInt8) -> UInt8 {
        let value = registerValue(register)
        defer { byteIndex += 1 }
        return byteIndex % 2 == 0 ? UInt8(truncatingIfNeeded: value >> 8) : UInt8(truncatingIfNeeded: value)
    }

    public func writeRegister(_ register: UInt8, value: UInt8) {
        defer { byteIndex += 1 }
        guard byteIndex % 2 == 1 else {
            pendingHigh = value
            return
        }
        guard register == 0x00 else { return }  // the calibration and alert registers are not modelled
        let word = UInt16(pendingHigh) << 8 | UInt16(value)
        // Bit 15 resets the chip; bits 14…12 always read 100b.
        configuration = word & 0x8000 != 0 ? Self.powerOnConfiguration : (word & 0x0FFF) | 0x4000
    }

    public func powerOnReset() {
        configuration = Self.powerOnConfiguration
    }
}
