import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

@Suite struct FaultInjectionTests {
    static let atRest = IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.80665), gyroFRDRadps: .zero,
                                  temperatureC: 25)

    func makeIMU() throws -> (MPU6000<EmulatedI2CBus>, MPU6050Emulator, EmulatedI2CBus) {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 3)
        let chip = MPU6050Emulator(clock: clock)
        bus.attach(chip, at: 0x68)
        return (try MPU6000(bus: bus, clock: clock), chip, bus)
    }

    @Test func emptyAddressIsTheSameNACKALinuxBusReports() {
        let bus = EmulatedI2CBus(busNumber: 1)
        #expect(throws: DeviceError.noDeviceAtAddress(bus: 1, address: 0x77)) {
            _ = try bus.readByte(address: 0x77, register: 0xD0)
        }
        // Retried twice like LinuxI2CBus before giving up.
        #expect(bus.statistics == {
            var s = I2CBusStatistics()
            s.attempts = 3; s.failedAttempts = 3; s.retries = 2; s.failedTransfers = 1
            return s
        }())
        #expect(throws: DriverError.bus(.noDeviceAtAddress(bus: 1, address: 0x76))) {
            _ = try BMP280(bus: bus, clock: ManualClock())
        }
    }

    @Test func aShortNACKIsAbsorbedByTheBusRetries() throws {
        let (imu, chip, bus) = try makeIMU()
        bus.inject(I2CFault(address: 0x68, effect: .nack, window: .next(2)))
        chip.feed(Self.atRest)
        let sample = try imu.read(timestampUs: 0)
        #expect(sample.accelFRDMps2.z == -9.80665)
        #expect(bus.statistics.retries == 2)
        #expect(imu.health.busErrors == 0)
    }

    @Test(arguments: [I2CFault.Effect.nack, .timeout])
    func persistentFailureDegradesHealthAndRecovers(effect: I2CFault.Effect) throws {
        let (imu, chip, bus) = try makeIMU()
        bus.inject(I2CFault(address: 0x68, effect: effect, window: .always))
        let expected: DeviceError = effect == .nack ? .noDeviceAtAddress(bus: 3, address: 0x68)
            : .timedOut(bus: 3, address: 0x68)
        for _ in 0..<10 {
            #expect(throws: DriverError.bus(expected)) { _ = try imu.read(timestampUs: 0) }
        }
        #expect(!imu.health.isHealthy)
        #expect(imu.health.busErrors == 10)
        bus.clearFaults(address: 0x68)
        chip.feed(Self.atRest)
        _ = try imu.read(timestampUs: 1)
        #expect(imu.health.isHealthy)
    }

    @Test func aStuckConfigurationRegisterIsCaughtByTheDriversReadBack() {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        bus.attach(MPU6050Emulator(clock: clock), at: 0x68)
        bus.inject(I2CFault(address: 0x68, effect: .stuckRegister(0x1B, value: 0x00)))
        #expect(throws: DriverError.configurationNotApplied(chip: "MPU-6000", bus: 1, address: 0x68, register: 0x1B)) {
            _ = try MPU6000(bus: bus, clock: clock)
        }
    }

    @Test func corruptedIdentityByteIsReportedAsAnUnexpectedChip() {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        bus.attach(MPU6050Emulator(clock: clock), at: 0x68)
        bus.inject(I2CFault(address: 0x68, effect: .corruptRead(xorMask: 0x04), window: .next(1)))
        #expect(throws: DriverError.unexpectedChipID(chip: "MPU-6000 family", bus: 1, address: 0x68, found: 0x6C)) {
            _ = try MPU6000(bus: bus, clock: clock)
        }
        // The window has passed: the next bring-up works.
        #expect(throws: Never.self) { _ = try MPU6000(bus: bus, clock: clock) }
    }

    @Test func corruptedWritesFailTheReadBack() {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        bus.attach(PCA9685Emulator(clock: clock), at: 0x40)
        // Every write lands with bit 0 flipped: PRE_SCALE 121 becomes 120.
        bus.inject(I2CFault(address: 0x40, effect: .corruptWrite(xorMask: 0x01)))
        #expect(throws: DriverError.configurationNotApplied(chip: "PCA9685", bus: 1, address: 0x40, register: 0xFE)) {
            _ = try PCA9685(bus: bus, config: PCA9685Config(bank: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500])),
                            clock: clock)
        }
    }

    @Test func stuckCalibrationIsInvalidCalibration() {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        bus.attach(BMP280Emulator(clock: clock), at: 0x76)
        bus.inject(I2CFault(address: 0x76, effect: .stuckRegister(0x88, value: 0xFF)))
        bus.inject(I2CFault(address: 0x76, effect: .stuckRegister(0x89, value: 0xFF)))
        #expect(throws: DriverError.invalidCalibration(chip: "BMP280",
                                                       detail: "dig_T1 or dig_P1 reads as 0x0000/0xFFFF")) {
            _ = try BMP280(bus: bus, clock: clock)
        }
    }

    @Test func faultWindowsCountAttemptsDeterministically() throws {
        let bus = EmulatedI2CBus(busNumber: 1, maxRetries: 0)
        let clock = ManualClock()
        bus.attach(MPU6050Emulator(clock: clock), at: 0x68)
        bus.inject(I2CFault(address: 0x68, effect: .timeout, window: I2CFault.Window(first: 2, count: 6, period: 3)))
        var failed: [Int] = []
        for i in 0..<12 where (try? bus.readByte(address: 0x68, register: 0x75)) == nil { failed.append(i) }
        #expect(failed == [2, 5])
    }
}

@Suite struct EmulatedSwitchTests {
    @Test func scriptedFlickToSafeDisarmsThroughTheRealSafetySwitch() throws {
        let clock = ManualClock()
        let input = EmulatedSwitch(
            initiallyActive: true,
            script: [.init(atUs: 10_000, isActive: false), .init(atUs: 30_000, isActive: true)], clock: clock)
        let safety = try SafetySwitch(input: input)
        var gate = ArmingSafetyGate()
        try safety.apply(to: &gate)
        try gate.arm()
        #expect(gate.outputsLive)
        clock.advance(byUs: 50_000)  // both edges happened between two polls
        #expect(try input.readLevel())
        try safety.apply(to: &gate)
        #expect(!gate.outputsLive)  // the SAFE flick disarmed even though the switch is back at ARM
        #expect(gate.switchPosition == .arm)
    }

    @Test func edgesCarryTheirOwnTimestampsAndBounceIsDebounced() throws {
        let clock = ManualClock()
        let input = EmulatedSwitch(
            initiallyActive: false,
            script: [.init(atUs: 1_000, isActive: true), .init(atUs: 1_400, isActive: false),
                     .init(atUs: 1_700, isActive: true)],
            config: DigitalInputConfig(activeLow: true, bias: .pullUp, debounceUs: 5_000), clock: clock)
        clock.advance(byUs: 2_000)
        #expect(try input.nextEdge() == nil)  // still bouncing
        clock.advance(byUs: 10_000)
        #expect(try input.nextEdge() == EdgeEvent(timestampUs: 1_700, isActive: true))
        #expect(try input.nextEdge() == nil)
    }

    @Test func aFailedLineReportsItsError() {
        let input = EmulatedSwitch(initiallyActive: false, clock: ManualClock())
        input.failure = .busy(.gpio, path: "/dev/gpiochip0 line 17")
        #expect(throws: DeviceError.busy(.gpio, path: "/dev/gpiochip0 line 17")) { _ = try input.readLevel() }
    }
}
