import FlightMath
import Testing

@Suite struct PitotStaticTests {
    @Test func densityAtTheStandardSeaLevelDay() {
        // ISA sea level: 101 325 Pa at 15 °C is 1.2250 kg/m³.
        let rho = PitotStatic.densityKgpm3(pressurePa: 101_325, temperatureC: 15)
        #expect(abs(rho - 1.225) < 1e-4)
    }

    @Test func densityFloorsTheTemperatureAt150K() {
        // A failed sensor reading absolute zero or below must not give an infinite or negative density.
        let floored = PitotStatic.densityKgpm3(pressurePa: 100_000, temperatureC: -300)
        #expect(floored == 100_000 / (PitotStatic.dryAirGasConstantJpkgK * 150))
        #expect(PitotStatic.densityKgpm3(pressurePa: 100_000, temperatureC: -273.15) == floored)
    }

    @Test func trueAirspeedFromDifferentialPressure() {
        // q = ½ρv²: 20 m/s at 1.225 kg/m³ is 245 Pa.
        #expect(abs(PitotStatic.trueAirspeedMps(differentialPressurePa: 245, densityKgpm3: 1.225) - 20) < 1e-12)
        // Thinner air, same q: faster.
        #expect(PitotStatic.trueAirspeedMps(differentialPressurePa: 245, densityKgpm3: 1.0) > 20)
    }

    @Test func negativeDifferentialPressureReadsAsStill() {
        #expect(PitotStatic.trueAirspeedMps(differentialPressurePa: -3, densityKgpm3: 1.225) == 0)
    }

    @Test func nonPositiveDensityGivesZeroNotInfinity() {
        #expect(PitotStatic.trueAirspeedMps(differentialPressurePa: 100, densityKgpm3: 0) == 0)
        #expect(PitotStatic.trueAirspeedMps(differentialPressurePa: 100, densityKgpm3: .nan) == 0)
    }
}
