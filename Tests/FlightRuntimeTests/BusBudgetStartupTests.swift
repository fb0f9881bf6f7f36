import EmulatedBoard
@testable import FlightRuntime
import Foundation
import Testing

/// Issue 14 item 7 at `kestrel fly`'s start-up: a board whose task table moves more I2C traffic per tick than the
/// task budgets (or the tick) hold is refused with the figures and the fix, before any device is opened.
@Suite struct BusBudgetStartupTests {
    @Test func anOverFullTaskTableIsRefusedAtStartUp() throws {
        let folder = "/tmp/kestrel-bus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The SITL board with its IMU at 1 kHz: 3 FIFO samples per 400 Hz tick.
        let sitl = try String(contentsOfFile: MissionHandoffTests.repo + "/Hardware/boards/sitl.toml", encoding: .utf8)
        let lines = sitl.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("sample_rate_hz") ? "sample_rate_hz = 1000" : String($0)
        }
        let path = folder + "/sitl-1khz.toml"
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
        var options = FlightDaemonKeyFileTests.options(operators: nil)
        options.boardPath = path
        do {
            _ = try FlightDaemonKeyFileTests.load(options)
            Issue.record("an over-full task table was accepted")
        } catch {
            // IMU 1215 µs (FIFO count + 42 B in 2 block reads) + baro 210 + pitot 117.5 + battery monitor 240
            // = 1782.5 µs at 400 kHz.
            #expect(error.description.contains("task sensors+estimator needs 1782.5 µs of I2C transfers, more than "
                                               + "its 1500 µs budget"), "\(error.description)")
            #expect(error.description.contains("lower imu.sample_rate_hz"))
            #expect(error.description.contains(path))
        }
        // The shipped board (500 Hz) starts.
        var shipped = FlightDaemonKeyFileTests.options(operators: nil)
        shipped.boardPath = MissionHandoffTests.repo + "/Hardware/boards/sitl.toml"
        _ = try FlightDaemonKeyFileTests.load(shipped)
    }
}
