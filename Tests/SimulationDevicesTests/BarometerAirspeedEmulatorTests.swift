import DeviceIO
import Drivers
import FlightMath
import PropertyBased
import Testing
@testable import Simulation

@Suite struct BMP280EmulatorTests {
    /// The clock steps one 38 ms conversion per feed (`feedConverting`): the chip converts at 26.3 Hz only.
    let clock = ManualClock()

    func feedConverting(_ chip: BMP280Emulator, _ sample: BaroSample) {
        clock.advance(byUs: chip.normalModePeriodUs)
        chip.feed(sample)
    }

    func makeBaro(config: BMP280Config = BMP280Config()) throws -> (BMP280<EmulatedI2CBus>, BMP280Emulator) {
        let bus = EmulatedI2CBus()
        let chip = BMP280Emulator(clock: clock)
        bus.attach(chip, at: 0x76)
        return (try BMP280(bus: bus, config: config, clock: clock), chip)
    }

    @Test func datasheetExampleInvertsToTheDatasheetADCCodes() throws {
        let (_, chip) = try makeBaro()
        // Section 3.12: adc_T 519888 and adc_P 415148 give 25.08 °C and 100653.27 Pa. The printed values are
        // rounded, so the inversion may land a few codes away: 0.01 °C is ~32 codes, 0.005 Pa is < 1 code.
        chip.feed(BaroSample(timestampUs: 0, pressurePa: 100653.27, temperatureC: 25.08))
        #expect(abs(chip.lastADC.temperature - 519888) <= 16)
        #expect(abs(chip.lastADC.pressure - 415148) <= 2)
    }

    // The round trips run with the IIR filter off: each conversion must stand alone (BMP280IIRTests has the filter).
    @Test func roundTripThroughTheRealDriverWithinATenthPascal() async throws {
        let (baro, chip) = try makeBaro(config: BMP280Config(iirFilter: 0))
        #expect(baro.calibration.digP1 == 36477)  // the driver read the emulated NVM
        await propertyCheck(count: 200, input: Gen.double(in: 30_000...110_000), Gen.double(in: -40...85)) {
            pressurePa, temperatureC in
            feedConverting(chip, BaroSample(timestampUs: 0, pressurePa: pressurePa, temperatureC: temperatureC))
            let sample = try baro.read(timestampUs: 5)
            #expect(abs(sample.pressurePa - pressurePa) <= 0.1)
            #expect(abs(sample.temperatureC - temperatureC) <= 0.01)
        }
    }

    @Test func integerCompensationAlsoRoundTrips() async throws {
        let (baro, chip) = try makeBaro(config: BMP280Config(iirFilter: 0, integerCompensation: true))
        await propertyCheck(count: 100, input: Gen.double(in: 30_000...110_000), Gen.double(in: -40...85)) {
            pressurePa, temperatureC in
            feedConverting(chip, BaroSample(timestampUs: 0, pressurePa: pressurePa, temperatureC: temperatureC))
            let sample = try baro.read(timestampUs: 5)
            // The integer path rounds t_fine and reports 1/100 °C and 1/256 Pa steps.
            #expect(abs(sample.pressurePa - pressurePa) <= 0.2)
            #expect(abs(sample.temperatureC - temperatureC) <= 0.01)
        }
    }

    @Test func driverConfigurationLandsInTheRegisters() throws {
        let (_, chip) = try makeBaro()
        #expect(chip.resetCount == 1)
        #expect(chip.mode == 3)  // normal
        #expect(chip.pressureOversampling == 5 && chip.temperatureOversampling == 2 && chip.iirFilter == 4)
        // ×2 temperature, ×16 pressure, t_sb 0.5 ms: 1 + 4 + 32 + 0.5 + 0.5 = 38 ms (datasheet table 14: 26.3 Hz
        // ODR for this profile, i.e. 38.0 ms).
        #expect(chip.normalModePeriodUs == 38_000)
    }

    @Test func sleepModeDoesNotConvertAndSkippedMeasurementsReadAsAFault() throws {
        let clock = ManualClock()
        let bus = EmulatedI2CBus()
        let chip = BMP280Emulator(clock: clock)
        bus.attach(chip, at: 0x76)
        chip.feed(BaroSample(timestampUs: 0, pressurePa: 101_325, temperatureC: 15))
        #expect(chip.conversions == 0)
        let baro = try BMP280(bus: bus, clock: clock)
        // Nothing converted since the reset: the data registers hold the skipped value 0x80000.
        #expect(throws: DriverError.self) { _ = try baro.read(timestampUs: 0) }
        #expect(baro.health.busErrors == 1)
        clock.advance(byUs: chip.normalModePeriodUs)
        chip.feed(BaroSample(timestampUs: 0, pressurePa: 101_325, temperatureC: 15))
        #expect(abs(try baro.read(timestampUs: 1).pressurePa - 101_325) <= 0.1)
    }
}

@Suite struct MS4525DOEmulatorTests {
    @Test(arguments: [MS4525DOConfig.OutputType.typeA, .typeB], [1.0, 5.0])
    func roundTripWithinHalfACount(outputType: MS4525DOConfig.OutputType, rangePsi: Double) async throws {
        let bus = EmulatedI2CBus()
        let chip = MS4525DOEmulator(config: .init(outputType: outputType == .typeA ? .typeA : .typeB,
                                                  rangePsi: rangePsi))
        bus.attach(chip, at: 0x28)
        let sensor = try MS4525DO(bus: bus, config: MS4525DOConfig(outputType: outputType, rangePsi: rangePsi))
        let span = outputType == .typeA ? 0.8 : 0.9
        let paPerCount = 2 * rangePsi * 6894.757293168361 / (span * 16383)
        let fullScalePa = rangePsi * 6894.757293168361 * 0.999
        await propertyCheck(count: 100, input: Gen.double(in: -1...1), Gen.double(in: -40...120)) { unit, temp in
            chip.feed(AirspeedSample(timestampUs: 0, differentialPressurePa: unit * fullScalePa, temperatureC: temp))
            guard case .fresh(let sample) = try sensor.read(timestampUs: 1) else {
                Issue.record("expected a fresh sample")
                return
            }
            #expect(abs(sample.differentialPressurePa - unit * fullScalePa) <= paPerCount / 2 + 1e-9)
            #expect(abs(sample.temperatureC - temp) <= 200.0 / 2047 / 2 + 1e-9)
        }
    }

    @Test func zeroPressureIsTenPercentOfTheSpanAndASecondReadIsStale() throws {
        let bus = EmulatedI2CBus()
        let chip = MS4525DOEmulator()
        bus.attach(chip, at: 0x28)
        let sensor = try MS4525DO(bus: bus)
        chip.feed(AirspeedSample(timestampUs: 0, differentialPressurePa: 0, temperatureC: 25))
        // Type A: 0 psi on a ±1 psi part is mid-span: 10 % + 40 % of 16383 = 8191.5 -> 8192; 25 °C = 767.6 -> 768.
        #expect(chip.counts.pressure == 8192)
        #expect(chip.counts.temperature == 768)
        guard case .fresh = try sensor.read(timestampUs: 0) else { Issue.record("expected fresh"); return }
        #expect(try sensor.read(timestampUs: 1) == .stale)
        #expect(sensor.staleReads == 1)
    }

    @Test func faultStatusBecomesTheDriversSensorFault() throws {
        let bus = EmulatedI2CBus()
        let chip = MS4525DOEmulator()
        bus.attach(chip, at: 0x28)
        let sensor = try MS4525DO(bus: bus)
        chip.feed(AirspeedSample(timestampUs: 0, differentialPressurePa: 100, temperatureC: 25))
        chip.forcedStatus = .fault
        #expect(throws: DriverError.sensorFault(chip: "MS4525DO", bus: 1, address: 0x28,
                                                detail: "status 11b (sensor fault)")) {
            _ = try sensor.read(timestampUs: 0)
        }
        chip.forcedStatus = nil
        chip.feed(AirspeedSample(timestampUs: 0, differentialPressurePa: 100, temperatureC: 25))
        guard case .fresh = try sensor.read(timestampUs: 10) else { Issue.record("expected recovery"); return }
        #expect(sensor.isHealthy(nowUs: 10))
    }
}
