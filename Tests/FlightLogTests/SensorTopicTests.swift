@testable import FlightLog
import FlightMath
import Testing

/// The estimator-input topics: PX4 names and field meanings, and the samples back from a written log.
struct SensorTopicTests {
    @Test func formatsUsePX4FieldNames() {
        let air = ULogTopicDescriber.format(of: VehicleAirData.self).fields.map(\.name)
        #expect(air == ["timestamp", "timestamp_sample", "baro_device_id", "baro_alt_meter", "baro_temp_celcius",
                        "baro_pressure_pa", "rho"])
        let dp = ULogTopicDescriber.format(of: DifferentialPressure.self).fields.map(\.name)
        #expect(dp == ["timestamp", "timestamp_sample", "device_id", "differential_pressure_pa", "temperature",
                       "error_count"])
        let mag = ULogTopicDescriber.format(of: SensorMag.self).fields.map(\.name)
        #expect(mag == ["timestamp", "timestamp_sample", "device_id", "x", "y", "z", "temperature", "error_count"])
        #expect(KestrelTopicCatalog.all.contains { $0 == SensorMag.self })
        #expect(KestrelTopicCatalog.all.contains { $0 == VehicleAirData.self })
        #expect(KestrelTopicCatalog.all.contains { $0 == DifferentialPressure.self })
    }

    /// ISA pressure altitude against tabulated standard-atmosphere values (ICAO: 89 876 Pa at 1000 m,
    /// 79 501 Pa at 2000 m) and the sea-level density 1.225 kg/m³ at 101 325 Pa and 15 °C.
    @Test func airDataAgainstTheStandardAtmosphere() {
        let sl = VehicleAirData(timestampUs: 10, baro: BaroSample(timestampUs: 9, pressurePa: 101_325, temperatureC: 15))
        #expect(abs(sl.baroAltitudeM) < 0.01)
        #expect(abs(sl.densityKgpm3 - 1.225) < 0.001)
        #expect(sl.timestampSampleUs == 9 && sl.timestampUs == 10)
        let km1 = VehicleAirData(timestampUs: 0, baro: BaroSample(timestampUs: 0, pressurePa: 89_876, temperatureC: 8.5))
        #expect(abs(km1.baroAltitudeM - 1000) < 1)
        let km2 = VehicleAirData(timestampUs: 0, baro: BaroSample(timestampUs: 0, pressurePa: 79_501, temperatureC: 2))
        #expect(abs(km2.baroAltitudeM - 2000) < 2)
        #expect(VehicleAirData.pressureAltitudeM(pressurePa: .nan) == 0)
        #expect(VehicleAirData.pressureAltitudeM(pressurePa: -5) == 0)
    }

    @Test func samplesComeBackFromAWrittenLog() throws {
        var registry = ULogTopicRegistry()
        let air = try registry.register(VehicleAirData.self)
        let dp = try registry.register(DifferentialPressure.self)
        var bytes = try ULogDefinitions(startTimestampUs: 0, info: [], parameters: [], registry: registry).encoded()
        let baro = BaroSample(timestampUs: 1_000, pressurePa: 95_461.25, temperatureC: 11.5)
        let pitot = AirspeedSample(timestampUs: 1_100, differentialPressurePa: 187.5, temperatureC: 12.25)
        bytes += encodeMessage { ULogMessageEncoder.data(VehicleAirData(timestampUs: 1_200, baro: baro),
                                                         messageId: air.messageId, into: &$0) }
        bytes += encodeMessage { ULogMessageEncoder.data(DifferentialPressure(timestampUs: 1_200, pitot: pitot),
                                                         messageId: dp.messageId, into: &$0) }
        let log = try ULogReader.parse(bytes)
        let a = try #require(log.topic("vehicle_air_data"))
        #expect(a.timestampUs(sample: 0) == 1_200)
        #expect(a.value(sample: 0, "timestamp_sample") == .uint(1_000))
        // Values exactly representable in float32 come back exactly.
        #expect(a.value(sample: 0, "baro_pressure_pa") == .float(95_461.25))
        #expect(a.value(sample: 0, "baro_temp_celcius") == .float(11.5))
        let d = try #require(log.topic("differential_pressure"))
        #expect(d.value(sample: 0, "differential_pressure_pa") == .float(187.5))
        #expect(d.value(sample: 0, "temperature") == .float(12.25))
        #expect(DifferentialPressure(timestampUs: 0, pitot: pitot).airspeedSample == pitot)
        // Field values exactly representable in float32 survive the round trip exactly.
        let field = MagSample(timestampUs: 1_300, fieldFRDGauss: Vector3(0.21875, -0.0625, 0.4375))
        #expect(SensorMag(timestampUs: 1_400, mag: field).magSample == field)
        #expect(VehicleAirData(timestampUs: 0, baro: baro).baroSample == baro)
    }
}
