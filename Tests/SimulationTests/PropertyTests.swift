import FlightMath
import Foundation
import PropertyBased
import Testing
@testable import Simulation

@Suite struct PropertyTests {
    /// Whatever a controller commands (even past ±1), a surface never leaves its travel, never moves faster than
    /// its rate limit, and settles on the commanded deflection within the servo's dead band and half the linkage's
    /// play (the servo stops once inside its dead band; the surface rests against one side of the play).
    @Test func actuatorsRespectLimits() async throws {
        let section = try Fixture.airframe().actuators
        let maxRad = Angle.radians(fromDegrees: section.surfaces[0].maxDeflectionDeg)
        let rate = Angle.radians(fromDegrees: section.surfaces[0].rateLimitDps)
        await propertyCheck(count: 200, input: Gen.double(in: -3...3), Gen.double(in: -1...1)) { first, second in
            var a = ActuatorModel(section: section)
            var previous = a.deflectionsRad[0]
            for i in 0..<400 {
                a.update(commands: SurfaceChannels(i < 100 ? first : second), dtS: 0.0025)
                let d = a.deflectionsRad[0]
                #expect(abs(d) <= maxRad + 1e-12)
                #expect(abs(d - previous) <= rate * 0.0025 + 1e-12)
                previous = d
            }
            let s = section.surfaces[0]
            let toleranceRad = s.deadbandUs / ActuatorModel.pulseUsPerUnitCommand * maxRad
                + Angle.radians(fromDegrees: s.backlashDeg) / 2
            #expect(abs(a.deflectionsRad[0] - second * maxRad) <= toleranceRad + 1e-6)
        }
    }

    /// Elevon mixing round trip: the commands for (δa, δe) produce exactly that δa and δe.
    @Test func elevonMixingRoundTrips() async throws {
        let wing = try Fixture.airframe("kestrel-wing-1p4")
        await propertyCheck(count: 200, input: Gen.double(in: -0.2...0.2), Gen.double(in: -0.2...0.2)) { da, de in
            var a = ActuatorModel(section: wing.actuators)
            a.reset(commands: a.commands(for: SurfaceDeflections(aileronRad: da, elevatorRad: de, rudderRad: 0)))
            let d = a.equivalentDeflections
            #expect(abs(d.aileronRad - da) < 1e-12 && abs(d.elevatorRad - de) < 1e-12)
        }
    }

    /// The fast CSV formatter agrees with printf.
    @Test func fixedFormattingAgreesWithPrintf() async {
        await propertyCheck(count: 500, input: Gen.double(in: -1e6...1e6), Gen.int(in: 0...8)) { x, decimals in
            // Values exactly half way between two printable ones may round either way; skip those rare cases.
            let scaled = abs(x) * Double.pow(10, Double(decimals))
            guard abs(scaled - scaled.rounded(.down) - 0.5) > 1e-6 else { return }
            #expect(TrajectoryCSV.fixed(x, decimals) == String(format: "%.\(decimals)f", x)
                    || (String(format: "%.\(decimals)f", x) == "-" + TrajectoryCSV.fixed(x, decimals)))
        }
    }

    /// Air data: α and β recover the angles a body-axis air velocity was built from.
    @Test func airDataRecoversFlowAngles() async {
        await propertyCheck(count: 300, input: Gen.double(in: 1...60), Gen.double(in: -1.2...1.2),
                            Gen.double(in: -1.2...1.2)) { v, alpha, beta in
            let air = AirData(airVelocityFRDMps: Vector3(v * Double.cos(alpha) * Double.cos(beta), v * Double.sin(beta),
                                                         v * Double.sin(alpha) * Double.cos(beta)))
            #expect(abs(air.airspeedMps - v) < 1e-9 * v)
            #expect(abs(air.alphaRad - alpha) < 1e-9 && abs(air.betaRad - beta) < 1e-9)
        }
    }
}
