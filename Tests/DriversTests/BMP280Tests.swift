import DeviceIO
import FlightMath
import PropertyBased
import Testing
@testable import Drivers

/// Trimming values and ADC readings of the worked example in the BMP280 datasheet (BST-BMP280-DS001, 3.12).
enum DatasheetExample {
    static let calibration = BMP280Calibration(
        digT1: 27504, digT2: 26435, digT3: -1000, digP1: 36477, digP2: -10685, digP3: 3024, digP4: 2855,
        digP5: 140, digP6: -7, digP7: 15500, digP8: -14600, digP9: 6000)
    static let adcT: Int32 = 519888
    static let adcP: Int32 = 415148

    /// The same values as the chip stores them at 0x88...0x9F (little-endian).
    static var registerBytes: [UInt8] {
        let c = calibration
        let words: [UInt16] = [c.digT1, UInt16(bitPattern: c.digT2), UInt16(bitPattern: c.digT3), c.digP1,
                               UInt16(bitPattern: c.digP2), UInt16(bitPattern: c.digP3), UInt16(bitPattern: c.digP4),
                               UInt16(bitPattern: c.digP5), UInt16(bitPattern: c.digP6), UInt16(bitPattern: c.digP7),
                               UInt16(bitPattern: c.digP8), UInt16(bitPattern: c.digP9)]
        return words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }
}

@Suite struct BMP280Tests {
    @Test func integerCompensationMatchesTheDatasheetExample() throws {
        let t = DatasheetExample.calibration.temperatureCentiC(adcT: DatasheetExample.adcT)
        #expect(t.tFine == 128422)
        #expect(t.centiC == 2508)  // 25.08 °C
        let p = try #require(DatasheetExample.calibration.pressureQ24_8(adcP: DatasheetExample.adcP, tFine: t.tFine))
        // 25767233 / 256 = 100653.254 Pa: the same datasheet formula evaluated independently with Python's exact
        // integers; within the integer path's 1/256 Pa resolution and rounding of the datasheet's 100653.27 Pa.
        #expect(p == 25767233)
        #expect(abs(Double(p) / 256 - 100653.27) < 0.02)
    }

    @Test func doubleCompensationMatchesTheDatasheetExample() throws {
        let t = DatasheetExample.calibration.temperatureC(adcT: DatasheetExample.adcT)
        #expect(abs(t.celsius - 25.08) < 0.005)
        #expect(abs(t.tFine - 128422.287) < 0.001)  // datasheet: var1 128793.1787 + var2 -370.8917
        let p = try #require(DatasheetExample.calibration.pressurePa(adcP: DatasheetExample.adcP, tFine: t.tFine))
        #expect(abs(p - 100653.27) < 0.005)
    }

    func makeBus() -> (FakeI2CBus, FakeBMP280) {
        let bus = FakeI2CBus(busNumber: 1)
        let chip = FakeBMP280(calibration: DatasheetExample.registerBytes)
        chip.setADC(pressure: UInt32(DatasheetExample.adcP), temperature: UInt32(DatasheetExample.adcT))
        bus.chips[0x76] = chip
        return (bus, chip)
    }

    @Test func driverReadsCalibrationConfiguresAndCompensates() throws {
        let (bus, chip) = makeBus()
        let baro = try BMP280(bus: bus, clock: ManualClock())
        #expect(baro.calibration == DatasheetExample.calibration)
        #expect(chip.resetCount == 1)
        #expect(chip.registers[0xF5] == 0x10)  // t_sb 0.5 ms, IIR filter 16
        #expect(chip.registers[0xF4] == 0x57)  // osrs_t ×2, osrs_p ×16, normal mode
        #expect(bus.log.contains(.readBlock(address: 0x76, register: 0x88, count: 24)))
        bus.log.removeAll()
        let sample = try baro.read(timestampUs: 42)
        #expect(bus.log == [.readBlock(address: 0x76, register: 0xF7, count: 6)])
        #expect(abs(sample.pressurePa - 100653.27) < 0.005)
        #expect(abs(sample.temperatureC - 25.08) < 0.005)
        #expect(sample.timestampUs == 42)

        let integerBaro = try BMP280(bus: bus, config: BMP280Config(integerCompensation: true), clock: ManualClock())
        let integerSample = try integerBaro.read(timestampUs: 0)
        #expect(integerSample.temperatureC == 25.08)
        #expect(integerSample.pressurePa == 25767233.0 / 256)
    }

    @Test func wrongChipBadCalibrationAndSkippedConversionsAreErrors() {
        let (bus, chip) = makeBus()
        chip.chipID = 0x60  // a BME280
        #expect(throws: DriverError.unexpectedChipID(chip: "BMP280", bus: 1, address: 0x76, found: 0x60)) {
            _ = try BMP280(bus: bus, clock: ManualClock())
        }
        let zeroBus = FakeI2CBus()
        zeroBus.chips[0x76] = FakeBMP280(calibration: Array(repeating: 0, count: 24))
        #expect(throws: DriverError.self) { _ = try BMP280(bus: zeroBus, clock: ManualClock()) }

        let (bus2, chip2) = makeBus()
        let baro = try? BMP280(bus: bus2, clock: ManualClock())
        chip2.setADC(pressure: 0x80000, temperature: UInt32(DatasheetExample.adcT))
        #expect(throws: DriverError.self) { _ = try baro?.read(timestampUs: 0) }
        #expect(baro?.health.busErrors == 1)
    }

    @Test func compensationNeverTrapsOnGarbage() async {
        await propertyCheck(
            count: 300, input: Gen.int32(in: 0...0xFFFFF), Gen.int32(in: 0...0xFFFFF), Gen.uint16(), Gen.int16()
        ) { adcT, adcP, t1, p9 in
            var c = DatasheetExample.calibration
            c.digT1 = t1
            c.digP9 = p9
            c.digP1 = t1 ^ 0x5A5A
            let t = c.temperatureCentiC(adcT: adcT)
            _ = c.pressureQ24_8(adcP: adcP, tFine: t.tFine)
            let d = c.temperatureC(adcT: adcT)
            _ = c.pressurePa(adcP: adcP, tFine: d.tFine)
        }
    }
}
