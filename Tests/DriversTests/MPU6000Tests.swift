import DeviceIO
import FlightMath
import Testing
@testable import Drivers

@Suite struct MPU6000Tests {
    func makeBus(whoAmI: UInt8 = 0x68) -> (FakeI2CBus, FakeMPU6000) {
        let bus = FakeI2CBus(busNumber: 1)
        let chip = FakeMPU6000(whoAmI: whoAmI)
        bus.chips[0x68] = chip
        return (bus, chip)
    }

    @Test func setUpResetsThenWritesDatasheetRegisterValues() throws {
        let (bus, chip) = makeBus()
        let clock = ManualClock()
        let config = MPU6000Config(accelRange: .g8, gyroRange: .dps2000, lowPass: .hz42, sampleRateHz: 200)
        let imu = try MPU6000(bus: bus, config: config, clock: clock)
        #expect(imu.variant == .mpu6000or6050)
        #expect(chip.resetCount == 1)
        #expect(clock.nowUs() >= 100_000)  // waited out the reset
        #expect(chip.registers[0x6B] == 0x01)  // awake, PLL on X gyro
        #expect(chip.registers[0x1A] == 0x03)  // DLPF_CFG 3 (42 Hz)
        #expect(chip.registers[0x19] == 4)  // 1 kHz / (1 + 4) = 200 Hz
        #expect(chip.registers[0x1B] == 0x18)  // FS_SEL 3 (±2000 °/s)
        #expect(chip.registers[0x1C] == 0x10)  // AFS_SEL 2 (±8 g)
        #expect(chip.registers[0x38] == 0x11)  // DATA_RDY_EN | FIFO_OFLOW_EN
        #expect(chip.registers[0x23] == 0xF8)  // FIFO_EN: accel, temperature, gyro x/y/z
        #expect(chip.registers[0x6A] & 0x40 != 0)  // USER_CTRL.FIFO_EN
        #expect(chip.registers[0x1D] == 0)  // no ACCEL_CONFIG2 on the 6050
        #expect(imu.outputRateHz == 200)
        // Identity first, reset before any configuration.
        #expect(bus.log.first == .readByte(address: 0x68, register: 0x75))
        let resetIndex = try #require(bus.log.firstIndex(of: .writeByte(address: 0x68, register: 0x6B, value: 0x80)))
        let configIndex = try #require(bus.log.firstIndex(of: .writeByte(address: 0x68, register: 0x1B, value: 0x18)))
        #expect(resetIndex < configIndex)
    }

    /// A dip in the supply: the chip comes back asleep (its configuration gone, its FIFO off) and answers every read
    /// with an empty FIFO. After `emptyReadsBeforeCheck` empty reads the driver reads PWR_MGMT_1, FIFO_EN and
    /// USER_CTRL, then wakes the chip, writes the configuration three registers a read, and restarts the FIFO once
    /// the gyro has had its start-up time; a configured chip whose FIFO is merely empty is left alone.
    @Test func aChipThatLostPowerIsConfiguredAgain() throws {
        let (bus, chip) = makeBus()
        let config = MPU6000Config(accelRange: .g8, gyroRange: .dps2000, lowPass: .hz42, sampleRateHz: 500)
        let imu = try MPU6000(bus: bus, config: config, clock: ManualClock())
        let configured = chip.registers
        var t: UInt64 = 1_000_000
        func read() throws -> IMUSample? {
            t += 2_500
            return try imu.readFIFO(timestampUs: t)
        }
        // Empty reads of a configured chip (its FIFO here never fills): one check per 20, nothing rewritten.
        bus.log.removeAll()
        for _ in 0..<(2 * MPU6000<FakeI2CBus>.emptyReadsBeforeCheck + 1) { _ = try read() }
        #expect(imu.reconfigurations == 0)
        #expect(bus.log.filter { $0 == .readByte(address: 0x68, register: 0x6B) }.count == 2)
        #expect(!bus.log.contains { if case .writeByte = $0 { true } else { false } })
        // The power loss.
        chip.powerOnReset()
        #expect(chip.registers[0x6B] == 0x40)
        for _ in 0..<(MPU6000<FakeI2CBus>.emptyReadsBeforeCheck + 20) { _ = try read() }
        #expect(imu.reconfigurations == 1)
        for register in [0x6B, 0x1A, 0x19, 0x1B, 0x1C, 0x38, 0x23] {
            #expect(chip.registers[register] == configured[register], "register 0x\(String(register, radix: 16))")
        }
        #expect(chip.registers[0x6A] & 0x40 != 0)  // the FIFO runs again
        #expect(chip.resetCount == 1)  // only the start-up's DEVICE_RESET: a power-on reset needs none
    }

    @Test func unfilteredRateUsesThe8kHzBase() throws {
        let (bus, chip) = makeBus()
        let imu = try MPU6000(bus: bus, config: MPU6000Config(lowPass: .hz256, sampleRateHz: 2000), clock: ManualClock())
        #expect(chip.registers[0x19] == 3)  // 8 kHz / 4
        #expect(imu.outputRateHz == 2000)
    }

    @Test func recognisesTheFamilyByWhoAmI() throws {
        for (id, variant) in [(UInt8(0x70), MPU6000Variant.mpu6500), (0x71, .mpu9250), (0x73, .mpu9255)] {
            let (bus, chip) = makeBus(whoAmI: id)
            let imu = try MPU6000(bus: bus, config: MPU6000Config(lowPass: .hz20), clock: ManualClock())
            #expect(imu.variant == variant)
            #expect(chip.registers[0x1D] == 0x04)  // accelerometer low-pass on the 6500 generation
        }
        let (bus, _) = makeBus(whoAmI: 0x12)
        let error = #expect(throws: DriverError.self) { _ = try MPU6000(bus: bus, clock: ManualClock()) }
        #expect(error == .unexpectedChipID(chip: "MPU-6000 family", bus: 1, address: 0x68, found: 0x12))
        #expect(error?.description.contains("0x12") == true)
    }

    @Test func missingChipAndLostWritesAreTypedErrors() {
        let bus = FakeI2CBus(busNumber: 2)
        #expect(throws: DriverError.bus(.noDeviceAtAddress(bus: 2, address: 0x69))) {
            _ = try MPU6000(bus: bus, address: 0x69, clock: ManualClock())
        }
        let (bus2, chip) = makeBus()
        chip.stuckRegisters = [0x1B]
        #expect(throws: DriverError.configurationNotApplied(chip: "MPU-6000", bus: 1, address: 0x68, register: 0x1B)) {
            _ = try MPU6000(bus: bus2, clock: ManualClock())
        }
        #expect(throws: DriverError.self) {
            _ = try MPU6000(bus: bus2, config: MPU6000Config(sampleRateHz: 2), clock: ManualClock())
        }
    }

    @Test func burstReadScalesToSIAndMapsAxesToFRD() throws {
        let (bus, chip) = makeBus()
        let config = MPU6000Config(accelRange: .g8, gyroRange: .dps2000, axisMapping: .zUpXForward)
        let imu = try MPU6000(bus: bus, config: config, clock: ManualClock())
        // Level, chip component side up: +1 g on chip z (4096 counts at ±8 g). Rolling right at 100 °/s
        // (1640 counts at 16.4 counts/(°/s)), yawing left at 50 °/s about chip z (up) = +820.
        chip.setData(accel: (0, 0, 4096), temperature: -521, gyro: (1640, 0, 820))
        bus.log.removeAll()
        let sample = try imu.read(timestampUs: 123_456)
        #expect(bus.log == [.readBlock(address: 0x68, register: 0x3B, count: 14)])
        #expect(sample.timestampUs == 123_456)
        #expect(sample.accelFRDMps2 == Vector3(0, -0.0, -9.80665))  // specific force points up: -g on FRD z
        #expect(abs(sample.gyroFRDRadps.x - 100 * Double.pi / 180) < 1e-12)
        #expect(sample.gyroFRDRadps.y == 0)
        #expect(abs(sample.gyroFRDRadps.z + 50 * Double.pi / 180) < 1e-12)  // z up positive = FRD yaw negative
        #expect(abs(sample.temperatureC - (-521.0 / 340.0 + 36.53)) < 1e-12)  // 35.0976 °C
        #expect(imu.health.goodReads == 1)
    }

    @Test func the6500GenerationUsesItsOwnTemperatureScale() throws {
        let (bus, chip) = makeBus(whoAmI: 0x71)
        let imu = try MPU6000(bus: bus, config: MPU6000Config(accelRange: .g2), clock: ManualClock())
        chip.setData(accel: (-16384, 0, 0), temperature: 3339, gyro: (0, 0, 0))
        let sample = try imu.read(timestampUs: 0)
        #expect(abs(sample.temperatureC - 31.0010) < 1e-3)  // 3339 / 333.87 + 21
        #expect(sample.accelFRDMps2.x == -9.80665)
    }

    @Test func busErrorsAreCountedAndNeverFatal() throws {
        let (bus, chip) = makeBus()
        let imu = try MPU6000(bus: bus, clock: ManualClock())
        bus.injectedFailures = Array(repeating: .timedOut(bus: 1, address: 0x68), count: 10)
        for _ in 0..<10 {
            #expect(throws: DriverError.bus(.timedOut(bus: 1, address: 0x68))) { _ = try imu.read(timestampUs: 0) }
        }
        #expect(imu.health.busErrors == 10)
        #expect(!imu.health.isHealthy)
        chip.setData(accel: (0, 0, 0), temperature: 0, gyro: (0, 0, 0))
        _ = try imu.read(timestampUs: 1)
        #expect(imu.health.isHealthy)
        #expect(imu.health.busErrors == 10)
    }

    @Test func dataReadyFollowsTheStatusBit() throws {
        let (bus, chip) = makeBus()
        let imu = try MPU6000(bus: bus, clock: ManualClock())
        #expect(try imu.dataReady() == false)
        chip.registers[0x3A] = 0x01
        #expect(try imu.dataReady() == true)
        #expect(try imu.dataReady() == false)  // cleared by the read
    }

    @Test func exactlyTheTwentyFourRotationsAreValidMappings() {
        var valid = 0
        for f in SensorAxis.allCases {
            for r in SensorAxis.allCases {
                for d in SensorAxis.allCases where (try? AxisMapping(forward: f, right: r, down: d)) != nil {
                    valid += 1
                }
            }
        }
        #expect(valid == 24)
        #expect(throws: AxisMapping.Invalid.self) { _ = try AxisMapping(forward: .plusX, right: .plusY, down: .minusZ) }
        let yaw90 = try? AxisMapping(forward: .plusY, right: .minusX, down: .plusZ)
        #expect(yaw90?.apply(Vector3(1, 2, 3)) == Vector3(2, -1, 3))
    }
}
