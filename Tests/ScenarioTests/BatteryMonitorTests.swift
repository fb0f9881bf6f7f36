import Foundation
import Mission
import SITL
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The flight battery reaches the flight stack only through the board's battery monitor (the INA226 driver reading
/// its register-level emulator), as on a flight board; before, SITL handed the stack the plant's voltage directly
/// and a flight board had no voltage at all, so its low-battery failsafe could never act.
@Suite struct BatteryMonitorTests {
    /// A nearly flat pack (12 %): the voltage sags below the 13.6 V floor in the first leg and the vehicle returns to
    /// launch, over seeds.
    @Test(arguments: [1, 2, 20261121] as [UInt64])
    func aFlatPackReturnsToLaunch(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/faults/low-battery.toml")
        let s = try ClosedLoopRun.run(scenario, seed: seed, durationS: 150)
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        let rtl = try #require(s.transitions.first { $0.reason == .failsafe(.battery) }, "seed \(seed): \(s.report)")
        let rtlS = Double(rtl.timeUs) * 1e-6
        #expect(rtl.to == .returnToLaunch)
        #expect(rtlS > 30 && rtlS < 140, "seed \(seed): low battery at \(rtlS) s")
    }

    /// The same flat pack on a board file without `[battery_monitor]`: the stack knows no voltage, so no
    /// low-battery failsafe (what `kestrel fly` warns about at start-up on such a board).
    @Test func withoutAMonitorTheStackKnowsNoVoltage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-battery-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var board = try String(contentsOfFile: "\(root)/Hardware/boards/sitl.toml", encoding: .utf8)
        let start = try #require(board.range(of: "[battery_monitor]"))
        let end = try #require(board.range(of: "rate_hz = 10\n", range: start.upperBound..<board.endIndex))
        board.removeSubrange(start.lowerBound..<end.upperBound)
        try board.write(to: dir.appendingPathComponent("board.toml"), atomically: true, encoding: .utf8)
        var text = try String(contentsOfFile: "\(root)/Scenarios/faults/low-battery.toml", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../../Hardware/boards/sitl.toml\"", with: "\"board.toml\"")
            .replacingOccurrences(of: "\"../../", with: "\"\(root)/")
            .replacingOccurrences(of: "\"../missions/", with: "\"\(root)/Scenarios/missions/")
        let path = dir.appendingPathComponent("scenario.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let s = try ClosedLoopRun.run(try ClosedLoopScenario.load(scenarioPath: path), seed: 1, durationS: 150)
        #expect(!s.transitions.contains { $0.reason == .failsafe(.battery) }, "\(s.report)")
    }
}
