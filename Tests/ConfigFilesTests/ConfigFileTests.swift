import ConfigFiles
import Testing

private struct Wing: Codable, ValidatedConfig {
    var spanM: Double
    var areaM2: Double
    var name: String?
    enum CodingKeys: String, CodingKey {
        case spanM = "span_m", areaM2 = "area_m2", name
    }
    func validate() throws(ConfigValueError) {
        try Self.require(spanM, in: 0.1...10, "span_m", unit: "m")
    }
}

private struct Airframe: Codable {
    var wing: Wing
    var massKg: Double
    enum CodingKeys: String, CodingKey {
        case wing, massKg = "mass_kg"
    }
}

@Suite struct ConfigFileTests {
    @Test func decodesAValidFile() throws {
        let a = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = 2.5\n[wing]\nspan_m = 2.0\narea_m2 = 0.5\n",
                                      source: "a.toml")
        #expect(a.massKg == 2.5)
        #expect(a.wing.spanM == 2.0)
    }

    @Test func unknownKeyIsNamed() {
        #expect(throws: ConfigFileError(file: "a.toml", problem: .unknownKey(keyPath: "wing.span"))) {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = 2.5\n[wing]\nspan_m = 2\nspan = 2.0\narea_m2 = 0.5\n",
                                      source: "a.toml")
        }
    }

    @Test func sectionsOfOtherReadersAreLeftAlone() throws {
        let text = "mass_kg = 2.5\n[wing]\nspan_m = 2.0\narea_m2 = 0.5\n[control]\nroll_kp = 1.0\n"
        #expect(throws: ConfigFileError(file: "a.toml", problem: .unknownKey(keyPath: "control"))) {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: text, source: "a.toml")
        }
        let a = try ConfigFile.decode(Airframe.self, fromTOML: text, source: "a.toml", sectionsReadElsewhere: ["control"])
        #expect(a.massKg == 2.5)
        // Keys inside the sections this reader owns are still checked.
        #expect(throws: ConfigFileError(file: "a.toml", problem: .unknownKey(keyPath: "wing.spam"))) {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: text + "[wing2]\n", source: "a.toml",
                                      sectionsReadElsewhere: ["control", "wing2"])
            _ = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = 1\n[wing]\nspan_m = 2.0\narea_m2 = 0.5\nspam = 1\n",
                                      source: "a.toml", sectionsReadElsewhere: ["control"])
        }
    }

    @Test func missingKeyIsNamed() {
        #expect(throws: ConfigFileError(file: "a.toml", problem: .missingKey(keyPath: "wing.area_m2"))) {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = 2.5\n[wing]\nspan_m = 2.0\n", source: "a.toml")
        }
    }

    @Test func wrongTypeIsNamed() throws {
        do {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = \"heavy\"\n[wing]\nspan_m = 2.0\narea_m2 = 0.5\n",
                                      source: "a.toml")
            Issue.record("accepted a string for a number")
        } catch {
            guard case .wrongType(let keyPath, let found) = error.problem else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(keyPath == "mass_kg")
            #expect(found.contains("heavy"))
        }
    }

    @Test func validationNamesKeyAndRange() {
        do {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = 2.5\n[wing]\nspan_m = 200.0\narea_m2 = 0.5\n",
                                      source: "a.toml")
            Issue.record("accepted 200 m span")
        } catch {
            #expect(error.description.contains("wing.span_m"))
            #expect(error.description.contains("200"))
        }
    }

    @Test func syntaxErrorGivesLine() {
        do {
            _ = try ConfigFile.decode(Airframe.self, fromTOML: "mass_kg = 2.5\n[wing\n", source: "a.toml")
            Issue.record("accepted bad TOML")
        } catch {
            guard case .syntax(let line, _, _) = error.problem else { Issue.record("unexpected \(error)"); return }
            #expect(line == 2)
        }
    }

    @Test func missingFileIsClear() {
        do {
            _ = try ConfigFile.load(Airframe.self, fromFile: "/nonexistent/airframe.toml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.contains("/nonexistent/airframe.toml"))
            #expect(error.description.contains("no such file"))
        }
    }
}
