import ConfigFiles
import Foundation
import Testing
@testable import Simulation

@Suite struct AirframeFileTests {
    @Test(arguments: ["kestrel-2m", "kestrel-wing-1p4"]) func shippedAirframesLoadAndTrim(name: String) throws {
        let a = try Fixture.airframe(name)
        #expect(a.airframe.name == name)
        #expect(a.mass.massProperties != nil)
        // Each can fly level at a cruise speed with the throttle inside 0…1 and the elevator within its travel.
        let trim = try #require(TrimSolver(airframe: a)?.powered(airspeedMps: 16))
        #expect(trim.throttle > 0.3 && trim.throttle < 0.9)
        #expect(abs(trim.elevatorRad) < 0.2)
        #expect(trim.alphaRad > 0 && trim.alphaRad < 0.15)
    }

    @Test func classOfAirframes() throws {
        let big = try Fixture.airframe("kestrel-2m"), wing = try Fixture.airframe("kestrel-wing-1p4")
        #expect(abs(big.geometry.spanM - 2) < 0.2 && abs(big.mass.massKg - 3.5) < 0.5)
        #expect(Set(big.actuators.surfaces.map(\.function)) == [.aileron, .elevator, .rudder])
        #expect(abs(wing.geometry.spanM - 1.4) < 0.1 && abs(wing.mass.massKg - 1.5) < 0.3)
        #expect(Set(wing.actuators.surfaces.map(\.function)) == [.elevonLeft, .elevonRight])
    }

    static func text(_ name: String = "kestrel-2m") throws -> String {
        try String(contentsOfFile: Fixture.airframePath(name), encoding: .utf8)
    }

    @Test func outOfRangeValueNamesKey() throws {
        let bad = try Self.text().replacingOccurrences(of: "mass_kg = 3.5", with: "mass_kg = -3.5")
        #expect(throws: ConfigFileError.self) { _ = try AirframeFile.decode(fromTOML: bad, source: "bad.toml") }
        do {
            _ = try AirframeFile.decode(fromTOML: bad, source: "bad.toml")
        } catch {
            guard case .invalidValue(let keyPath, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(keyPath == "mass.mass_kg")
            #expect(error.description.contains("bad.toml"))
        }
    }

    @Test func misspeltKeyAndSectionAreUnknown() throws {
        let key = try Self.text().replacingOccurrences(of: "rate_hz = 50.0\nnoise_pa = 1.5", with: "rate_hz = 50.0\nnoise_pa = 1.5\nnoise_pascal = 1.5")
        #expect(throws: ConfigFileError(file: "a.toml", problem: .unknownKey(keyPath: "sensors.baro.noise_pascal"))) {
            _ = try AirframeFile.decode(fromTOML: key + "\n", source: "a.toml")
        }
        let section = try Self.text() + "\n[sensros]\nx = 1\n"
        #expect(throws: ConfigFileError(file: "a.toml", problem: .unknownKey(keyPath: "sensros"))) {
            _ = try AirframeFile.decode(fromTOML: section, source: "a.toml")
        }
    }

    @Test func wrongTypeAndMissingKeyAreNamed() throws {
        let wrong = try Self.text().replacingOccurrences(of: "cells = 4", with: "cells = \"four\"")
        do {
            _ = try AirframeFile.decode(fromTOML: wrong, source: "a.toml")
            Issue.record("accepted a string for cells")
        } catch {
            guard case .wrongType(let keyPath, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(keyPath == "battery.cells")
        }
        let missing = try Self.text().replacingOccurrences(of: "span_m = 2.0\n", with: "")
        #expect(throws: ConfigFileError(file: "a.toml", problem: .missingKey(keyPath: "geometry.span_m"))) {
            _ = try AirframeFile.decode(fromTOML: missing, source: "a.toml")
        }
    }

    @Test func unstableDerivativeIsRejected() throws {
        let bad = try Self.text().replacingOccurrences(of: "alpha_per_rad = -1.5", with: "alpha_per_rad = 0.5")
        do {
            _ = try AirframeFile.decode(fromTOML: bad, source: "a.toml")
            Issue.record("accepted a statically unstable airframe")
        } catch {
            #expect(error.description.contains("aerodynamics.pitch_moment.alpha_per_rad"))
        }
        let surface = try Self.text().replacingOccurrences(of: "function = \"rudder\"", with: "function = \"canard\"")
        do {
            _ = try AirframeFile.decode(fromTOML: surface, source: "a.toml")
            Issue.record("accepted an unknown surface")
        } catch {
            #expect(error.description.contains("actuators.surfaces[2].function"))
        }
    }

    /// The autopilot's sections live in the same file; the plant leaves them alone.
    @Test func autopilotSectionsAreLeftToTheAutopilot() throws {
        let withControl = try Self.text() + "\n[control]\nroll_p = 0.5\n[limits]\nmax_bank_deg = 45\n[outputs]\nch1_us = 1500\n"
        let a = try AirframeFile.decode(fromTOML: withControl, source: "a.toml")
        #expect(a.airframe.name == "kestrel-2m")
    }
}
