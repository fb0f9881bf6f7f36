import DeviceIO
import Drivers
import FlightMath
import PropertyBased
import Testing
@testable import Simulation

@Suite struct IMUEmulatorTests {
    func makeIMU(mounting: Matrix3 = .identity, whoAmI: UInt8 = 0x68)
        -> (EmulatedI2CBus, MPU6050Emulator, ManualClock)
    {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        let chip = MPU6050Emulator(config: .init(whoAmI: whoAmI, bodyToChip: mounting), clock: clock)
        bus.attach(chip, at: 0x68)
        return (bus, chip, clock)
    }

    @Test func realDriverInitialisesTheEmulatorAsTheRegisterMapSays() throws {
        let (bus, chip, clock) = makeIMU()
        #expect(chip.isSleeping)  // power-on state
        let config = MPU6000Config(accelRange: .g8, gyroRange: .dps2000, lowPass: .hz42, sampleRateHz: 200)
        let imu = try MPU6000(bus: bus, config: config, clock: clock)
        #expect(imu.variant == .mpu6000or6050)
        #expect(chip.resetCount == 1)
        #expect(!chip.isSleeping)
        #expect(chip.register(0x6B) == 0x01)
        #expect(chip.accelCountsPerG == 4096)
        #expect(chip.gyroCountsPerDps == 16.4)
        #expect(chip.outputRateHz == 200)  // 1 kHz / (1 + 4)
        #expect(imu.outputRateHz == chip.outputRateHz)
    }

    @Test func resetKeepsTheSerialInterfaceBusyForItsDuration() throws {
        let clock = ManualClock()
        let bus = EmulatedI2CBus()
        let chip = MPU6050Emulator(config: .init(resetDurationUs: 150_000), clock: clock)
        bus.attach(chip, at: 0x68)
        try bus.writeByte(address: 0x68, register: 0x6B, value: 0x80)
        #expect(try bus.readByte(address: 0x68, register: 0x6B) == 0xC0)  // DEVICE_RESET still set, asleep
        try bus.writeByte(address: 0x68, register: 0x1B, value: 0x18)
        clock.advance(byUs: 150_000)
        #expect(try bus.readByte(address: 0x68, register: 0x6B) == 0x40)
        #expect(try bus.readByte(address: 0x68, register: 0x1B) == 0)  // the write during reset was lost
        // The driver waits 100 ms then polls every 10 ms up to 10 times: 150 ms is within that.
        _ = try MPU6000(bus: bus, clock: clock)
    }

    @Test(arguments: [MPU6000AccelRange.g2, .g4, .g8, .g16], [MPU6000GyroRange.dps250, .dps500, .dps1000, .dps2000])
    func fedSampleReadsBackWithinOneLSB(accelRange: MPU6000AccelRange, gyroRange: MPU6000GyroRange) async throws {
        let mounting = Matrix3(diagonal: Vector3(1, -1, -1))  // breakout component side up, x forward
        let (bus, chip, clock) = makeIMU(mounting: mounting)
        let imu = try MPU6000(bus: bus, config: MPU6000Config(accelRange: accelRange, gyroRange: gyroRange,
                                                              axisMapping: .zUpXForward), clock: clock)
        let accelFullScale = 9.80665 * 2 * Double(1 << Int(accelRange.rawValue)) * 0.999
        let gyroFullScale = 250 * Double(1 << Int(gyroRange.rawValue)) * Double.pi / 180 * 0.99
        let accelLSB = 9.80665 / accelRange.countsPerG
        let gyroLSB = Double.pi / 180 / gyroRange.countsPerDps
        await propertyCheck(count: 60, input: Gen.double(in: -1...1).array(of: 6), Gen.double(in: -40...85)) {
            unit, temperature in
            let sample = IMUSample(
                timestampUs: 0, accelFRDMps2: Vector3(unit[0], unit[1], unit[2]) * accelFullScale,
                gyroFRDRadps: Vector3(unit[3], unit[4], unit[5]) * gyroFullScale, temperatureC: temperature)
            chip.feed(sample)
            let read = try imu.read(timestampUs: 7)
            for axis in 0..<3 {
                #expect(abs(read.accelFRDMps2[axis] - sample.accelFRDMps2[axis]) <= accelLSB)
                #expect(abs(read.gyroFRDRadps[axis] - sample.gyroFRDRadps[axis]) <= gyroLSB)
            }
            #expect(abs(read.temperatureC - temperature) <= 1.0 / 340)
        }
        #expect(chip.saturatedSamples == 0)
    }

    @Test func levelAtRestGivesMinusOneGDownAndTheChipSeesPlusOneGOnItsZ() throws {
        let (bus, chip, clock) = makeIMU(mounting: Matrix3(diagonal: Vector3(1, -1, -1)))
        let imu = try MPU6000(bus: bus, config: MPU6000Config(accelRange: .g8, axisMapping: .zUpXForward), clock: clock)
        chip.feed(IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.80665), gyroFRDRadps: .zero,
                            temperatureC: 25))
        // Register level: +4096 counts (1 g at ±8 g) on chip z, big-endian 0x10 0x00.
        #expect(chip.register(0x3F) == 0x10 && chip.register(0x40) == 0x00)
        let sample = try imu.read(timestampUs: 0)
        #expect(sample.accelFRDMps2.z == -9.80665)
    }

    @Test func beyondFullScaleSaturatesInsteadOfWrapping() throws {
        let (bus, chip, clock) = makeIMU()
        let imu = try MPU6000(bus: bus, config: MPU6000Config(accelRange: .g2, gyroRange: .dps250), clock: clock)
        chip.feed(IMUSample(timestampUs: 0, accelFRDMps2: Vector3(50, -50, 0), gyroFRDRadps: Vector3(10, -10, 0),
                            temperatureC: 25))
        #expect(chip.saturatedSamples == 1)
        let sample = try imu.read(timestampUs: 0)
        #expect(abs(sample.accelFRDMps2.x - 32767.0 / 16384 * 9.80665) < 1e-9)
        #expect(abs(sample.accelFRDMps2.y + 2 * 9.80665) < 1e-9)  // -32768 counts
        #expect(abs(sample.gyroFRDRadps.x - 32767.0 / 131 * Double.pi / 180) < 1e-9)
    }

    @Test func dataReadyIsRaisedByAFeedAndClearedByReadingStatus() throws {
        let (bus, chip, clock) = makeIMU()
        chip.feed(IMUSample(timestampUs: 0, accelFRDMps2: Vector3(1, 2, 3), gyroFRDRadps: .zero, temperatureC: 20))
        #expect(chip.samplesFed == 0)  // asleep after power-on: no conversion
        let imu = try MPU6000(bus: bus, clock: clock)
        #expect(try imu.dataReady() == false)
        chip.feed(IMUSample(timestampUs: 0, accelFRDMps2: Vector3(1, 2, 3), gyroFRDRadps: .zero, temperatureC: 20))
        #expect(try imu.dataReady() == true)
        #expect(try imu.dataReady() == false)
    }

    @Test func wrongPartIsNamedByItsIdentity() {
        let (bus, _, clock) = makeIMU(whoAmI: 0x98)
        #expect(throws: DriverError.unexpectedChipID(chip: "MPU-6000 family", bus: 1, address: 0x68, found: 0x98)) {
            _ = try MPU6000(bus: bus, clock: clock)
        }
    }
}
