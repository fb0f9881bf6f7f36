import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

/// The BMP280's IIR filter lives in the chip: the real driver picks its coefficient in config (0xF5) and the emulator
/// filters each conversion as the datasheet's formula does (section 3.3.3).
@Suite struct BMP280IIRTests {
    let clock = ManualClock()

    func makeBaro(iirFilter: UInt8) throws -> (BMP280<EmulatedI2CBus>, BMP280Emulator) {
        let bus = EmulatedI2CBus()
        let chip = BMP280Emulator(clock: clock)
        bus.attach(chip, at: 0x76)
        return (try BMP280(bus: bus, config: BMP280Config(iirFilter: iirFilter), clock: clock), chip)
    }

    func convert(_ chip: BMP280Emulator, pressurePa: Double) {
        clock.advance(byUs: chip.normalModePeriodUs)
        chip.feed(BaroSample(timestampUs: clock.nowUs(), pressurePa: pressurePa, temperatureC: 20))
    }

    @Test func theDriversFilterSixteenLagsAStepAsTheDatasheetFormula() throws {
        let (baro, chip) = try makeBaro(iirFilter: 4)
        #expect(chip.iirCoefficient == 16)
        for _ in 0..<10 { convert(chip, pressurePa: 100_000) }
        // A 100 Pa step (8 m of height): after n conversions the output has moved 1 − (15/16)ⁿ of it.
        var remaining = 1.0
        for n in 1...40 {
            convert(chip, pressurePa: 100_100)
            remaining *= 15.0 / 16.0
            let expected = 100_000 + 100 * (1 - remaining)
            #expect(abs(try baro.read(timestampUs: clock.nowUs()).pressurePa - expected) < 0.2, "conversion \(n)")
        }
    }

    @Test(arguments: [UInt8(0), 1, 2, 3, 4])
    func whiteNoiseShrinksByTheFiltersFactor(code: UInt8) throws {
        let (baro, chip) = try makeBaro(iirFilter: code)
        var random = RandomSource(seed: 11)
        var readings: [Double] = []
        for i in 0..<4000 {
            convert(chip, pressurePa: 95_000 + random.gaussian() * 3)
            if i >= 200 { readings.append(try baro.read(timestampUs: clock.nowUs()).pressurePa) }
        }
        let mean = readings.reduce(0, +) / Double(readings.count)
        let sigma = (readings.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(readings.count)).squareRoot()
        let expected = 3 * BMP280Emulator.iirNoiseFactor(coefficient: chip.iirCoefficient)
        #expect(chip.iirCoefficient == [1, 2, 4, 8, 16][Int(code)])
        #expect(abs(sigma / expected - 1) < 0.12, "code \(code): σ \(sigma) Pa, expected \(expected) Pa")
    }

    @Test func aSoftResetClearsTheFiltersMemory() throws {
        let (_, chip) = try makeBaro(iirFilter: 4)
        for _ in 0..<50 { convert(chip, pressurePa: 90_000) }
        let bus = EmulatedI2CBus()
        bus.attach(chip, at: 0x76)
        // The driver's start-up (soft reset, then its settings) begins from the first conversion, not from 90 kPa.
        let baro = try BMP280(bus: bus, config: BMP280Config(iirFilter: 4), clock: clock)
        convert(chip, pressurePa: 100_000)
        #expect(abs(try baro.read(timestampUs: clock.nowUs()).pressurePa - 100_000) < 0.2)
    }
}
