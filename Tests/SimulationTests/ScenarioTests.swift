import ConfigFiles
import Foundation
import Testing
@testable import Simulation

@Suite struct ScenarioFileTests {
    static let demoPath = "\(Fixture.repoRoot)/Scenarios/demo-open-loop.toml"

    /// The demo flies ten minutes open loop without touching the ground and writes its trajectory.
    @Test func demoScenarioStaysAirborneForTenMinutes() throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-demo-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let summary = try ScriptedRun.run(scenarioPath: Self.demoPath, trajectoryCSVPath: csv, csvRateHz: 2)
        #expect(abs(summary.durationS - 600) < 1e-9)
        #expect(summary.firstTouchdown == nil)
        #expect(summary.maxHeightM > 60 && summary.maxHeightM < 400)
        #expect(summary.final.heightM > 50)
        #expect(summary.minAirspeedMps > 10)
        #expect(summary.final.batteryStateOfCharge < 1 && summary.final.batteryStateOfCharge > 0.5)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.first.map(String.init) == TrajectoryCSV.header)
        #expect(lines.count == 1 + 1 + 1200)
        #expect(lines.last?.split(separator: ",").count == 18)
    }

    static func demoText() throws -> String { try String(contentsOfFile: demoPath, encoding: .utf8) }

    @Test func scheduleMustIncreaseInTime() throws {
        let bad = try Self.demoText().replacingOccurrences(of: "time_s = 90.0", with: "time_s = 30.0")
        do {
            _ = try ConfigFile.decode(ScenarioFile.self, fromTOML: bad, source: "s.toml")
            Issue.record("accepted a schedule going back in time")
        } catch {
            #expect(error.description.contains("schedule[2].time_s"))
        }
    }

    @Test func commandOutOfRangeIsNamed() throws {
        let bad = try Self.demoText().replacingOccurrences(of: "throttle = 0.95", with: "throttle = 1.5")
        do {
            _ = try ConfigFile.decode(ScenarioFile.self, fromTOML: bad, source: "s.toml")
            Issue.record("accepted throttle 1.5")
        } catch {
            #expect(error.description.contains("schedule[0].throttle"))
        }
        let turbulence = try Self.demoText().replacingOccurrences(of: "turbulence = \"light\"", with: "turbulence = \"gale\"")
        do {
            _ = try ConfigFile.decode(ScenarioFile.self, fromTOML: turbulence, source: "s.toml")
            Issue.record("accepted turbulence gale")
        } catch {
            #expect(error.description.contains("wind.turbulence"))
        }
    }

    /// A rudder command for the flying wing, which has none, names the schedule entry.
    @Test func surfaceTheAirframeLacksIsAnError() throws {
        let text = try Self.demoText()
            .replacingOccurrences(of: "kestrel-2m.toml", with: "kestrel-wing-1p4.toml")
        let scenario = try ConfigFile.decode(ScenarioFile.self, fromTOML: text, source: "s.toml")
        let wing = try Fixture.airframe("kestrel-wing-1p4")
        // The demo's first entry sets the aileron (trimmed against the propeller torque) and the elevator: the
        // aileron is checked first.
        #expect(throws: ScenarioError.mismatch(file: "s.toml", keyPath: "schedule[0].aileron",
                                               reason: "airframe 'kestrel-wing-1p4' has no aileron surface")) {
            _ = try PreparedScenario(scenarioPath: "s.toml", scenario: scenario, airframePath: "", airframe: wing)
        }
    }

    @Test func missingAirframeFileIsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-scn-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/s.toml"
        try Self.demoText().replacingOccurrences(of: "../Hardware/airframes/kestrel-2m.toml", with: "nowhere.toml")
            .write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try PreparedScenario.load(scenarioPath: path)
            Issue.record("loaded a missing airframe")
        } catch {
            #expect(error.description.contains("\(dir)/nowhere.toml"))
        }
    }
}

@Suite struct TrajectoryCSVTests {
    @Test func fixedPointFormattingMatchesPrintf() {
        #expect(TrajectoryCSV.fixed(3.14159, 3) == "3.142")
        #expect(TrajectoryCSV.fixed(-0.0004, 3) == "0.000")
        #expect(TrajectoryCSV.fixed(-12.5, 1) == "-12.5")
        #expect(TrajectoryCSV.fixed(47.397742123, 8) == "47.39774212")
        #expect(TrajectoryCSV.fixed(0.05, 4) == "0.0500")
        #expect(TrajectoryCSV.fixed(7, 0) == "7")
        #expect(TrajectoryCSV.fixed(.nan, 3) == "nan")
    }
}
