import Board
import EmulatedBoard
@testable import FlightRuntime
import Foundation
import Mission
import Testing

/// Findings 3 and 9f of issue 16 at `kestrel fly`'s start-up: SITL test keys are refused in the operator file of a
/// vehicle that flies, and starting without an operator file is warned about.
@Suite struct FlightDaemonKeyFileTests {
    static func options(operators: String?) -> FlightDaemonOptions {
        var options = FlightDaemonOptions(boardPath: MissionHandoffTests.repo + "/Hardware/boards/sitl.toml",
                                          airframePath: MissionHandoffTests.repo + "/Hardware/airframes/kestrel-2m.toml",
                                          operatorsPath: operators)
        options.logDirectory = nil
        return options
    }

    static func load(_ options: FlightDaemonOptions) throws(FlightDaemonError) -> FlightDaemonLoad {
        try FlightDaemonLoad(options, hardware: { EmulatedHardware(board: $0, bench: StationaryTruth(seed: 1)) })
    }

    @Test func aFlightOperatorFileWithASITLTestKeyIsRefused() throws {
        let folder = "/tmp/kestrel-fly-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/operators.keys"
        let line = AuthorisedKeyFile.line(for: OperatorSigningKey.testKey(named: "alice").authorisedKey)
        try (line + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o644)
        do {
            _ = try Self.load(Self.options(operators: path))
            Issue.record("a test key was accepted for flight")
        } catch {
            #expect(error.description.contains("\(path):1: operator 'alice' has a SITL test key"))
        }
        // On the bench (kestrel fly --emulated may allow them) it loads.
        var bench = Self.options(operators: path)
        bench.allowsSITLTestKeys = true
        #expect(try Self.load(bench).operatorCount == 1)
    }

    @Test func startingWithoutAnOperatorFileOrABatteryMonitorIsWarnedAbout() throws {
        var board = try BoardConfig.load(fromFile: MissionHandoffTests.repo + "/Hardware/boards/sitl.toml")
        #expect(FlightDaemonLoad.startupWarnings(Self.options(operators: nil), board: board)
            == ["fly: warning: no --operators file: no operator can approve a terminal phase (every approval is refused)"])
        #expect(FlightDaemonLoad.startupWarnings(Self.options(operators: "/etc/kestrel/operators.keys"), board: board)
            .isEmpty)
        board.batteryMonitor = nil
        #expect(FlightDaemonLoad.startupWarnings(Self.options(operators: "/etc/kestrel/operators.keys"), board: board)
            == ["fly: warning: board 'sitl' has no [battery_monitor]: the flight stack knows no battery voltage, so "
                + "neither the arming check nor the low-battery failsafe can act"])
    }
}
