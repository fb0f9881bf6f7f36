import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

/// The MPU-6050's FIFO at register level, read by the real driver (`MPU6000.readFIFO`): averaging, the per-read
/// bound, overflow and the transfers a read costs.
@Suite struct IMUFIFOTests {
    func make() throws -> (EmulatedI2CBus, MPU6050Emulator, MPU6000<EmulatedI2CBus>) {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        let chip = MPU6050Emulator(clock: clock)
        bus.attach(chip, at: 0x68)
        let imu = try MPU6000(bus: bus, config: MPU6000Config(sampleRateHz: 1000), clock: clock)
        return (bus, chip, imu)
    }

    func sample(_ gyroX: Double) -> IMUSample {
        IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.80665), gyroFRDRadps: Vector3(gyroX, 0, 0),
                  temperatureC: 30)
    }

    @Test func samplesAreQueuedInBurstOrderAndAveraged() throws {
        let (bus, chip, imu) = try make()
        #expect(chip.fifoCount == 0)
        for g in [0.1, 0.2, 0.6] { chip.feed(sample(g)) }
        #expect(chip.fifoCount == 3 * 14)
        let before = bus.statistics.attempts
        let s = try #require(try imu.readFIFO(timestampUs: 7))
        // FIFO_COUNT, then 2 + 1 samples in two block reads (28 B + 14 B: SMBus carries at most 32).
        #expect(bus.statistics.attempts - before == 3)
        #expect(abs(s.gyroFRDRadps.x - 0.3) < 0.002)
        #expect(abs(s.accelFRDMps2.z + 9.80665) < 0.005)
        #expect(abs(s.temperatureC - 30) < 0.01)
        #expect(s.timestampUs == 7)
        #expect(chip.fifoCount == 0)
        #expect(imu.fifoCounters.samplesRead == 3)
        // Nothing new: nothing returned, and the empty read is counted.
        #expect(try imu.readFIFO(timestampUs: 8) == nil)
        #expect(imu.fifoCounters.emptyReads == 1)
        #expect(chip.fifoUnderflowReads == 0)  // the driver never reads past what FIFO_COUNT said
    }

    @Test func aBacklogBeyondOneReadIsDroppedAndCounted() throws {
        let (_, chip, imu) = try make()
        for g in [0.1, 0.1, 0.1, 0.1, 0.9, 0.9] { chip.feed(sample(g)) }
        let s = try #require(try imu.readFIFO(timestampUs: 1))
        #expect(abs(s.gyroFRDRadps.x - 0.1) < 0.002)  // the four oldest
        #expect(imu.fifoCounters.samplesDropped == 2)
        #expect(chip.fifoCount == 0)  // reset: the next read starts with fresh samples
        chip.feed(sample(0.5))
        #expect(abs(try #require(try imu.readFIFO(timestampUs: 2)).gyroFRDRadps.x - 0.5) < 0.002)
    }

    @Test func anOverflowResetsTheFIFOAndIsCounted() throws {
        let (_, chip, imu) = try make()
        // 80 samples of 14 B into 1024 B: the oldest bytes are overwritten, the sample boundaries lost.
        for _ in 0..<80 { chip.feed(sample(0.2)) }
        #expect(chip.fifoCount == 1024)
        #expect(chip.register(0x3A) & 0x10 != 0)  // FIFO_OFLOW_INT (INT_ENABLE.FIFO_OFLOW_EN set by the driver)
        #expect(try imu.readFIFO(timestampUs: 1) == nil)
        #expect(imu.fifoCounters.overflows == 1)
        #expect(imu.fifoCounters.samplesDropped == 73)  // 1024 / 14
        #expect(chip.fifoCount == 0)
        chip.feed(sample(0.4))
        #expect(abs(try #require(try imu.readFIFO(timestampUs: 2)).gyroFRDRadps.x - 0.4) < 0.002)
    }

    @Test func fifoResetOnlyActsWithTheFIFOStopped() throws {
        let (bus, chip, _) = try make()
        chip.feed(sample(0.1))
        try bus.writeByte(address: 0x68, register: 0x6A, value: 0x44)  // FIFO_EN | FIFO_RESET: ignored (map 4.29)
        #expect(chip.fifoCount == 14)
        #expect(chip.register(0x6A) == 0x40)  // FIFO_RESET reads back 0
        try bus.writeByte(address: 0x68, register: 0x6A, value: 0x04)
        #expect(chip.fifoCount == 0)
    }

    @Test func samplesPerTickAndTransfers() {
        #expect(MPU6000FIFO.outputRateHz(requestedHz: 500, lowPass: .hz98) == 500)
        // 1 kHz / (1 + round(2.5) − 1) = 333.3 Hz: 400 Hz cannot be made with the filter on.
        #expect(abs(MPU6000FIFO.outputRateHz(requestedHz: 400, lowPass: .hz98) - 1000.0 / 3) < 1e-9)
        #expect(MPU6000FIFO.samplesPerTick(outputRateHz: 500, tickRateHz: 400) == 2)
        #expect(MPU6000FIFO.samplesPerTick(outputRateHz: 1000, tickRateHz: 400) == 3)
        #expect(MPU6000FIFO.samplesPerTick(outputRateHz: 400, tickRateHz: 400) == 1)
        #expect(MPU6000FIFO.transfers(samples: 3) == [2, 28, 14])
    }
}

@Suite struct BMP280NewSampleTests {
    @Test func readNewReturnsEachConversionOnce() throws {
        let clock = ManualClock()
        let bus = EmulatedI2CBus()
        let chip = BMP280Emulator(clock: clock)
        bus.attach(chip, at: 0x76)
        let baro = try BMP280(bus: bus, clock: clock)
        #expect(abs(BMP280<EmulatedI2CBus>.outputRateHz(config: baro.config) - 26.3) < 0.05)  // 1000 / 38
        clock.advance(byUs: chip.normalModePeriodUs)
        chip.feed(BaroSample(timestampUs: 0, pressurePa: 95_000, temperatureC: 20))
        #expect(try baro.readNew(timestampUs: 1) != nil)
        #expect(try baro.readNew(timestampUs: 2) == nil)
        #expect(baro.repeatedReads == 1)
        // 20 ms later the chip is still converting: a physical change has not reached the registers.
        clock.advance(byUs: 20_000)
        chip.feed(BaroSample(timestampUs: 0, pressurePa: 95_100, temperatureC: 20))
        #expect(chip.feedsDuringConversion == 1)
        #expect(try baro.readNew(timestampUs: 3) == nil)
        clock.advance(byUs: 18_000)
        chip.feed(BaroSample(timestampUs: 0, pressurePa: 95_100, temperatureC: 20))
        // The driver's ×16 IIR filter passes a sixteenth of the step on the first conversion after it.
        #expect(abs(try #require(try baro.readNew(timestampUs: 4)).pressurePa - (95_000 + 100.0 / 16)) < 0.2)
    }
}
