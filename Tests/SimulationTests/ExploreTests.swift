import FlightMath
import Testing
@testable import Simulation

@Test func exploreTrim() throws {
    for name in ["kestrel-2m", "kestrel-wing-1p4"] {
        let a = try Fixture.airframe(name)
        let s = TrimSolver(airframe: a)!
        for v in [12.0, 15.0, 17.0, 20.0] {
            let p = s.powered(airspeedMps: v, densityKgpm3: 1.17)
            let g = s.glide(airspeedMps: v, densityKgpm3: 1.17)
            print(name, v, p.map { "alpha \($0.alphaRad * 57.3) de \($0.elevatorRad * 57.3) thr \($0.throttle)" } ?? "nil",
                  g.map { "glide gamma \($0.flightPathAngleRad * 57.3) alpha \($0.alphaRad*57.3)" } ?? "nil")
        }
    }
}
