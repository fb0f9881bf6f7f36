import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

/// The INA226 battery monitor: the real driver against the register-level emulator.
@Suite struct INA226EmulatorTests {
    func make(shuntOhm: Double = 0.0005) throws -> (INA226<EmulatedI2CBus>, INA226Emulator, EmulatedI2CBus) {
        let bus = EmulatedI2CBus()
        let chip = INA226Emulator(shuntOhm: shuntOhm)
        bus.attach(chip, at: 0x45)
        return (try INA226(bus: bus, address: 0x45, config: INA226Config(shuntOhm: shuntOhm)), chip, bus)
    }

    @Test func setUpAveragesSixteenConversionsContinuously() throws {
        let (_, chip, _) = try make()
        #expect(chip.configuration == 0x4527)
        #expect(chip.configuration != INA226Emulator.powerOnConfiguration)
    }

    /// A 4S pack: within the ADCs' steps (1.25 mV, 2.5 µV / 0.5 mΩ = 5 mA), discharging and charging.
    @Test(arguments: [(16.8, 0.0), (14.82, 23.4), (12.0, 81.7), (15.1, -2.5)])
    func packVoltageAndCurrentWithinOneStep(voltageV: Double, currentA: Double) throws {
        let (monitor, chip, _) = try make()
        chip.feed(voltageV: voltageV, currentA: currentA)
        let sample = try monitor.read(timestampUs: 7)
        #expect(sample.timestampUs == 7)
        #expect(abs(sample.voltageV - voltageV) <= 0.000625 + 1e-12)
        #expect(abs(sample.currentA - currentA) <= 0.0025 + 1e-9)
    }

    /// Beyond the shunt ADC's ±81.92 mV the chip saturates: the driver reports the end of the range, not a wrap.
    @Test func currentBeyondTheShuntRangeSaturates() throws {
        let (monitor, chip, _) = try make()
        chip.feed(voltageV: 14, currentA: 400)
        #expect(abs(try monitor.read(timestampUs: 0).currentA - 163.835) < 0.01)
        chip.feed(voltageV: 14, currentA: -400)
        #expect(abs(try monitor.read(timestampUs: 0).currentA + 163.84) < 0.01)
    }

    /// A chip that lost its supply comes back at its power-on configuration (no averaging): the driver finds it
    /// within its check period and configures it again.
    @Test func aResetChipIsConfiguredAgain() throws {
        let (monitor, chip, _) = try make()
        chip.feed(voltageV: 15, currentA: 10)
        for _ in 0..<3 { _ = try monitor.read(timestampUs: 0) }
        chip.powerOnReset()
        for _ in 0..<INA226<EmulatedI2CBus>.checkEveryReads { _ = try monitor.read(timestampUs: 0) }
        #expect(chip.configuration == 0x4527)
        #expect(monitor.reconfigurations == 1)
    }

    @Test func aFailedReadIsCountedAndTheNextChecksTheChip() throws {
        let (monitor, chip, bus) = try make()
        _ = try monitor.read(timestampUs: 0)
        bus.inject(I2CFault(address: 0x45, effect: .nack, window: .init(first: 0, count: 3)))
        #expect(throws: DriverError.self) { _ = try monitor.read(timestampUs: 0) }
        #expect(monitor.health.consecutiveFailures == 1)
        chip.powerOnReset()
        chip.feed(voltageV: 15, currentA: 1)
        #expect(abs(try monitor.read(timestampUs: 0).voltageV - 15) < 0.001)
        #expect(monitor.reconfigurations == 1 && monitor.health.consecutiveFailures == 0)
    }

    /// Another chip at the address (a PCA9685 at 0x40, the INA226's default) is refused by identity.
    @Test func anotherChipAtTheAddressIsRefused() throws {
        let bus = EmulatedI2CBus()
        bus.attach(PCA9685Emulator(clock: ManualClock()), at: 0x40)
        #expect(throws: DriverError.self) { _ = try INA226(bus: bus, address: 0x40, config: INA226Config(shuntOhm: 0.001)) }
        #expect(throws: DriverError.invalidConfiguration(chip: "INA226", detail: "shunt resistance must be 0.00001…10 ohm")) {
            _ = try INA226(bus: bus, address: 0x40, config: INA226Config(shuntOhm: 0))
        }
    }
}
