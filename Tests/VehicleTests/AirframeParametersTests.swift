import ConfigFiles
import FlightMath
import Foundation
import MAVLink
import Testing
import Vehicle

/// Every tunable of the airframe files is a MAVLink parameter; setting one goes through the same validation as
/// the file, and the override file round-trips.
@Suite struct AirframeParametersTests {
    static func load(_ name: String = "kestrel-2m.toml") throws -> AirframeParameters {
        try AirframeParameters.load(airframePath: "Hardware/airframes/\(name)")
    }

    @Test(arguments: ["kestrel-2m.toml", "kestrel-wing-1p4.toml"])
    func everyTunableOfTheFileIsAParameterWithAValidName(_ file: String) throws {
        let p = try Self.load(file)
        // Every key the file sets in the autopilot's tables (mixer channels and kind aside) is a parameter.
        let text = try String(contentsOfFile: "Hardware/airframes/\(file)", encoding: .utf8)
        var table = ""
        var fileKeys: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { table = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]")); continue }
            guard let eq = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let section = table.split(separator: ".").first.map(String.init) ?? ""
            guard ["control", "guidance", "estimation", "flight"].contains(section),
                  !table.hasPrefix("control.mixer.channels"), key != "kind" else { continue }
            fileKeys.append("\(table).\(key)")
        }
        let keys = Set(p.parameters.map(\.key))
        #expect(fileKeys.count > 40)
        for k in fileKeys { #expect(keys.contains(k), "\(k) is not a parameter") }
        // Defaults the file leaves out are parameters too (the estimator's noise settings, for one).
        #expect(keys.contains("estimation.gyro_noise_density_radps_per_rthz"))
        #expect(p.parameters.count > 100)
        for param in p.parameters {
            #expect(ParameterID(param.name) != nil, "\(param.name) is not a MAVLink parameter id")
            #expect(param.range.contains(param.value), "\(param.name)")
        }
        #expect(Set(p.parameters.map(\.name)).count == p.parameters.count)
    }

    @Test func setValidatesLikeTheFileAndChangesTheSettings() throws {
        var p = try Self.load()
        let before = p.settings.control.tecs
        let name = try #require(p.parameters.first { $0.key == "control.tecs.height_tc_s" }?.name)
        #expect(try p.set(name, to: 7.5) == 7.5)
        #expect(p.settings.control.tecs != before)
        #expect(p.parameters.first { $0.name == name }?.value == 7.5)
        // Out of the decoder's range: refused, nothing changes.
        #expect(throws: AirframeParameterError.self) { try p.set(name, to: -1) }
        #expect(p.parameters.first { $0.name == name }?.value == 7.5)
        // A cross-key rule: the throttle minimum above the maximum is refused by the decoder itself.
        let thrMin = try #require(p.parameters.first { $0.key == "control.tecs.throttle_min" }?.name)
        let thrMax = try #require(p.parameters.first { $0.key == "control.tecs.throttle_max" })
        do {
            try p.set(thrMin, to: min(thrMax.value + 0.05, 1))
            Issue.record("throttle_min above throttle_max was accepted")
        } catch {
            #expect("\(error)".contains("throttle"))
        }
        // Flags are 0 or 1.
        let mag = try #require(p.parameters.first { $0.key == "estimation.use_magnetometer" }?.name)
        #expect(throws: AirframeParameterError.self) { try p.set(mag, to: 0.5) }
        try p.set(mag, to: 1)
        #expect(p.settings.estimation.useMagnetometer)
        #expect(throws: AirframeParameterError.self) { try p.set("NO_SUCH_PARAM", to: 1) }
    }

    @Test func overridesRoundTripThroughTheParameterFile() throws {
        var p = try Self.load()
        let name = try #require(p.parameters.first { $0.key == "guidance.loiter_radius_m" }?.name)
        try p.set(name, to: 95)
        let text = ParameterFile.format(p.fileEntries)
        #expect(text == "\(name) 95\n")
        let airframe = try String(contentsOfFile: "Hardware/airframes/kestrel-2m.toml", encoding: .utf8)
        let again = try AirframeParameters(airframeText: airframe, source: "kestrel-2m.toml",
                                           overrides: try ParameterFile.parse(text, path: "p.params"))
        #expect(again.settings.guidance.loiterRadiusM == 95)
        // A bad entry names the file and line.
        do {
            _ = try AirframeParameters(airframeText: airframe, source: "kestrel-2m.toml",
                                       overrides: try ParameterFile.parse("# x\n\(name) -5\n", path: "p.params"),
                                       overridesSource: "p.params")
            Issue.record("a negative loiter radius was accepted")
        } catch {
            #expect("\(error)".hasPrefix("p.params:2: \(name) = -5.0"))
        }
    }

    @Test func namesAreStable() throws {
        let names = Dictionary(try Self.load().parameters.map { ($0.key, $0.name) }, uniquingKeysWith: { first, _ in first })
        #expect(names["control.rates.roll_rate_kp"] == "RATE_RLL_R_KP")
        #expect(names["control.tecs.height_tc_s"] == "TECS_HGT_TC")
        #expect(names["guidance.loiter_radius_m"] == "NAV_LOITER_RAD")
    }
}


extension AirframeParametersTests {
    /// A vector in the file (the magnetometer's hard-iron offsets) is one parameter per component.
    @Test func vectorTunablesAreOneParameterPerComponent() throws {
        var p = try Self.load()
        let names = p.parameters.filter { $0.key == "estimation.mag_hard_iron_frd_gauss" }.map(\.name)
        #expect(names == ["EKF_MAG_H_IRON_X", "EKF_MAG_H_IRON_Y", "EKF_MAG_H_IRON_Z"])
        // The file's [0.03, -0.02, 0.05]; setting Y keeps X and Z.
        try p.set("EKF_MAG_H_IRON_Y", to: 0.1)
        let h = p.settings.estimation.magHardIronFRDGauss
        #expect(h.x == 0.03 && h.y == 0.1 && h.z == 0.05)
        #expect(ParameterFile.format(p.fileEntries) == "EKF_MAG_H_IRON_X 0.03\nEKF_MAG_H_IRON_Y 0.1\nEKF_MAG_H_IRON_Z 0.05\n")
        #expect(throws: AirframeParameterError.self) { try p.set("EKF_MAG_H_IRON_Z", to: 3) }
    }
}
