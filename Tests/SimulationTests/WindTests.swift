import FlightMath
import RealModule
import Testing
@testable import Simulation

@Suite struct WindTests {
    /// MIL-F-8785C low-altitude Dryden intensities, computed here in feet as the specification writes them.
    static func specifiedSigmas(w20Kt: Double, heightM: Double) -> (u: Double, v: Double, w: Double, lu: Double) {
        let hFt = heightM / 0.3048
        let w20 = w20Kt * 0.514444
        let sigmaW = 0.1 * w20
        let sigmaU = sigmaW / Double.pow(0.177 + 0.000823 * hFt, 0.4)
        let luFt = hFt / Double.pow(0.177 + 0.000823 * hFt, 1.2)
        return (sigmaU, sigmaU, sigmaW, luFt * 0.3048)
    }

    /// Over a long run the standard deviation of each component matches the specified intensity within 15 %,
    /// and the longitudinal component decorrelates over its scale length (autocorrelation e⁻¹ at lag L_u/V).
    @Test(arguments: [TurbulenceIntensity.light, .moderate, .severe])
    func drydenStandardDeviationMatchesIntensity(intensity: TurbulenceIntensity) {
        let height = 10.0, airspeed = 17.0, dt = 1.0 / 400
        var turbulence = DrydenTurbulence(intensity: intensity, random: .stream(seed: 99, label: 1))
        let n = 400 * 2000
        var su = 0.0, sv = 0.0, sw = 0.0, suu = 0.0, svv = 0.0, sww = 0.0
        var u = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let g = turbulence.step(dtS: dt, airspeedMps: airspeed, altitudeAboveGroundM: height)
            u[i] = g.x
            su += g.x; sv += g.y; sw += g.z
            suu += g.x * g.x; svv += g.y * g.y; sww += g.z * g.z
        }
        let count = Double(n)
        func std(_ s: Double, _ ss: Double) -> Double { (ss / count - (s / count) * (s / count)).squareRoot() }
        let w20: Double = intensity == .light ? 15 : intensity == .moderate ? 30 : 45
        let spec = Self.specifiedSigmas(w20Kt: w20, heightM: height)
        #expect(abs(std(su, suu) - spec.u) / spec.u < 0.15, "σu \(std(su, suu)) vs \(spec.u)")
        #expect(abs(std(sv, svv) - spec.v) / spec.v < 0.15, "σv \(std(sv, svv)) vs \(spec.v)")
        #expect(abs(std(sw, sww) - spec.w) / spec.w < 0.15, "σw \(std(sw, sww)) vs \(spec.w)")

        let lag = Int((spec.lu / airspeed / dt).rounded())
        let mean = su / count
        var acf = 0.0
        for i in 0..<(n - lag) { acf += (u[i] - mean) * (u[i + lag] - mean) }
        acf /= Double(n - lag) * (suu / count - mean * mean)
        #expect(abs(acf - Double.exp(-1)) < 0.1, "autocorrelation at L_u/V: \(acf)")
    }

    @Test func noTurbulenceIsCalm() {
        var t = DrydenTurbulence(intensity: .none, random: RandomSource(seed: 1))
        for _ in 0..<100 { #expect(t.step(dtS: 0.0025, airspeedMps: 17, altitudeAboveGroundM: 100) == .zero) }
    }

    /// 1 − cosine gust: zero before and after, the peak at mid-duration, half the peak at a quarter.
    @Test func oneMinusCosineGustShape() {
        let g = DiscreteGust(startS: 10, durationS: 4, peakNEDMps: Vector3(0, 6, -2))
        #expect(g.velocityNEDMps(atS: 9.9) == .zero)
        #expect(g.velocityNEDMps(atS: 14.1) == .zero)
        #expect((g.velocityNEDMps(atS: 12) - Vector3(0, 6, -2)).norm < 1e-12)
        #expect((g.velocityNEDMps(atS: 11) - Vector3(0, 3, -1)).norm < 1e-12)
    }

    /// A steady wind moves an airframe in calm air by exactly its velocity: ground track = air track + wind·t.
    @Test func steadyWindDriftsTheAirframe() throws {
        let airframe = try Fixture.airframe()
        let trim = try #require(TrimSolver(airframe: airframe)?.powered(
            airspeedMps: 17, densityKgpm3: StandardAtmosphere.air(altitudeM: Fixture.origin.altitudeM + 150).densityKgpm3))
        var calm = try Fixture.trimmedVehicle(airframe, trim: trim, heightM: 150)
        let windy = WindModel(steadyNEDMps: Vector3(0, 4, 0),
                              turbulence: DrydenTurbulence(intensity: .none, random: RandomSource(seed: 1)), gusts: [])
        var drifting = try Fixture.trimmedVehicle(airframe, trim: trim, heightM: 150, wind: windy)
        var s = drifting.state
        s.velocityNEDMps += Vector3(0, 4, 0)
        drifting.reset(state: s)
        let controls = Fixture.controls(calm, trim: trim)
        for _ in 0..<(400 * 10) {
            calm.step(controls: controls)
            drifting.step(controls: controls)
        }
        let offset = drifting.state.positionNEDM - calm.state.positionNEDM
        #expect((offset - Vector3(0, 40, 0)).norm < 1e-6)
    }
}
