import Testing
@testable import Simulation

/// ISA against the published standard table (ICAO Doc 7488 / U.S. Standard Atmosphere 1976, geopotential heights).
@Suite struct AtmosphereTests {
    struct Row: Sendable {
        let h: Double, temperatureK: Double, pressurePa: Double, density: Double, speedOfSound: Double
    }

    static let table: [Row] = [
        Row(h: 0, temperatureK: 288.15, pressurePa: 101_325, density: 1.2250, speedOfSound: 340.29),
        Row(h: 1000, temperatureK: 281.65, pressurePa: 89_874.6, density: 1.1117, speedOfSound: 336.43),
        Row(h: 5000, temperatureK: 255.65, pressurePa: 54_019.9, density: 0.73612, speedOfSound: 320.53),
        Row(h: 11000, temperatureK: 216.65, pressurePa: 22_632.1, density: 0.36392, speedOfSound: 295.07),
    ]

    @Test(arguments: table) func matchesStandardTable(row: Row) {
        let a = StandardAtmosphere.air(altitudeM: row.h)
        #expect(abs(a.temperatureK - row.temperatureK) < 0.01)
        #expect(abs(a.pressurePa - row.pressurePa) / row.pressurePa < 1e-4)
        #expect(abs(a.densityKgpm3 - row.density) / row.density < 2e-4)
        #expect(abs(a.speedOfSoundMps - row.speedOfSound) < 0.01)
    }

    @Test func pressureAltitudeInvertsPressure() {
        for h in stride(from: -200.0, through: 10_000, by: 350) {
            let p = StandardAtmosphere.air(altitudeM: h).pressurePa
            #expect(abs(StandardAtmosphere.pressureAltitudeM(pressurePa: p) - h) < 1e-6)
        }
    }
}
