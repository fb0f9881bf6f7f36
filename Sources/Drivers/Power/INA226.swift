import DeviceIO
import FlightMath

/// Texas Instruments INA226 current and bus-voltage monitor on the flight battery: the pack voltage on VBUS and the
/// current through a shunt resistor. Registers are 16 bits, big-endian, behind a pointer byte (an SMBus block
/// transfer of two bytes). Kestrel reads the shunt and bus voltages and does the current arithmetic itself, so the
/// calibration register is not needed.
public struct INA226Config: Hashable, Sendable {
    /// The shunt resistor, ohm (a 0.5 mΩ shunt spans ±164 A at the ADC's ±81.92 mV).
    public var shuntOhm: Double

    public init(shuntOhm: Double) { self.shuntOhm = shuntOhm }
}

public enum INA226Register {
    public static let configuration: UInt8 = 0x00
    public static let shuntVoltage: UInt8 = 0x01
    public static let busVoltage: UInt8 = 0x02
    public static let manufacturerID: UInt8 = 0xFE
    public static let dieID: UInt8 = 0xFF
}

public final class INA226<Bus: I2CBus> {
    typealias Register = INA226Register

    /// "TI" and the INA226's die id (its revision in the low 4 bits).
    public static var manufacturerID: UInt16 { 0x5449 }
    public static var dieID: UInt16 { 0x2260 }
    /// Averages 16 conversions of 1.1 ms each of shunt and bus, continuously: a new average every 35 ms, so a 10 Hz
    /// poll always finds a fresh one, and the motor's PWM ripple on the current averages out.
    public static var configuration: UInt16 { 0x4000 | 0b010 << 9 | 0b100 << 6 | 0b100 << 3 | 0b111 }
    /// 1.25 mV per bit on VBUS (0…36 V), 2.5 µV per bit on the shunt (±81.92 mV).
    public static var busVoltsPerBit: Double { 1.25e-3 }
    public static var shuntVoltsPerBit: Double { 2.5e-6 }
    /// The configuration is checked every this many reads (and after any failure): a chip that lost its supply
    /// comes back averaging nothing, which the check finds and sets again. A check read reads the configuration in
    /// place of the shunt voltage, so a read is always two transfers on the bus; its current is the previous one's.
    public static var checkEveryReads: UInt64 { 10 }

    public let device: I2CDevice<Bus>
    public let config: INA226Config
    public private(set) var health = SensorHealth()
    /// Times the chip was found with another configuration (a reset) and configured again.
    public private(set) var reconfigurations: UInt64 = 0
    private var reads: UInt64 = 0
    private var checkNext = false
    private var lastCurrentA = 0.0

    /// Finds the chip by its identity registers and configures it.
    public init(bus: Bus, address: UInt8 = 0x40, config: INA226Config) throws(DriverError) {
        guard config.shuntOhm.isFinite, config.shuntOhm >= 1e-5, config.shuntOhm <= 10 else {
            throw .invalidConfiguration(chip: "INA226", detail: "shunt resistance must be 0.00001…10 ohm")
        }
        device = I2CDevice(bus: bus, address: address)
        self.config = config
        let manufacturer = try register(Register.manufacturerID)
        let die = try register(Register.dieID)
        guard manufacturer == Self.manufacturerID, die & 0xFFF0 == Self.dieID else {
            throw .unexpectedChipID(chip: "INA226", bus: bus.busNumber, address: address,
                                    found: UInt8(truncatingIfNeeded: manufacturer == Self.manufacturerID ? die >> 8 : manufacturer >> 8))
        }
        try write(Register.configuration, Self.configuration)
        guard try register(Register.configuration) == Self.configuration else {
            throw .configurationNotApplied(chip: "INA226", bus: bus.busNumber, address: address,
                                           register: Register.configuration)
        }
    }

    /// Reads the pack voltage and current. Allocation free. A bus failure throws and is counted; the next read then
    /// checks the configuration first.
    public func read(timestampUs: UInt64) throws(DriverError) -> BatterySample {
        do {
            if checkNext || reads % Self.checkEveryReads == Self.checkEveryReads - 1 {
                try checkConfiguration()
            } else {
                let shunt = Int16(bitPattern: try register(Register.shuntVoltage))
                lastCurrentA = Double(shunt) * Self.shuntVoltsPerBit / config.shuntOhm
            }
            let bus = try register(Register.busVoltage)
            reads &+= 1
            checkNext = false
            health.recordSuccess()
            // The bus voltage register is 15 bits; its top bit reads 0.
            return BatterySample(timestampUs: timestampUs, voltageV: Double(bus & 0x7FFF) * Self.busVoltsPerBit,
                                 currentA: lastCurrentA)
        } catch {
            health.recordFailure()
            checkNext = true
            throw error
        }
    }

    private func checkConfiguration() throws(DriverError) {
        guard try register(Register.configuration) != Self.configuration else { return }
        try write(Register.configuration, Self.configuration)
        reconfigurations &+= 1
    }

    private func register(_ r: UInt8) throws(DriverError) -> UInt16 {
        do {
            return try withDeviceScratchBytes(byteCount: 2, alignment: 2) { buffer throws(DeviceError) in
                try device.readBlock(r, into: buffer)
                return UInt16(buffer[0]) << 8 | UInt16(buffer[1])
            }
        } catch {
            throw .bus(error)
        }
    }

    private func write(_ r: UInt8, _ value: UInt16) throws(DriverError) {
        var bytes = (UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
        do {
            try withUnsafeBytes(of: &bytes) { buffer throws(DeviceError) in try device.writeBlock(r, buffer) }
        } catch {
            throw .bus(error)
        }
    }
}
