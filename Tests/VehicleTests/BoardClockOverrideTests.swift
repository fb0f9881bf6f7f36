@testable import Board
import ConfigFiles
import Foundation
import LinuxBoard
import EmulatedBoard
import Testing
@testable import Vehicle

/// `[i2c] clock_hz`: the bus speed of a board whose adapter has no device-tree `clock-frequency` (the virtual board's
/// i2c-stub, a USB bridge). Before it, such a board was always judged at the assumed 100 kHz and a PCA9685 board could
/// never start (the virtual board's daemon was refused).
@Suite struct BoardClockOverrideTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func servoBoard(extra: String) throws -> BoardConfig {
        let text = try String(contentsOfFile: Self.repo + "/Hardware/boards/rpi4-pca9685.toml", encoding: .utf8)
        return try ConfigFile.decode(BoardConfig.self, fromTOML: text + extra, source: "test.toml")
    }

    @Test func theBoardFilesClockIsUsedWhereTheSystemGivesNone() throws {
        let hardware = LinuxHardware()
        // Only meaningful where bus 1 has no device-tree clock (this machine, CI); a Pi reports its own.
        guard case .assumed = hardware.i2cBusClock(1).source else { return }
        let assumed = try FlightStack.busBudget(board: try servoBoard(extra: ""), hardware: hardware)
        #expect(!assumed.fits)
        let declared = try FlightStack.busBudget(board: try servoBoard(extra: "\n[i2c]\nclock_hz = 400000\n"),
                                                 hardware: hardware)
        #expect(declared.fits)
        #expect(declared.description.contains("400 kHz (the board file's [i2c] clock_hz"))
    }

    @Test func anEmulatedBusKeepsItsOwnClock() throws {
        let board = try servoBoard(extra: "\n[i2c]\nclock_hz = 100000\n")
        let clock = FlightStack.clock(bus: 1, board: board, hardware: EmulatedHardware(board: board))
        #expect(clock.source == .emulated)
    }

    @Test func anImpossibleClockIsNamed() throws {
        #expect {
            _ = try servoBoard(extra: "\n[i2c]\nclock_hz = 5\n")
        } throws: { "\($0)".contains("i2c.clock_hz") }
    }
}
