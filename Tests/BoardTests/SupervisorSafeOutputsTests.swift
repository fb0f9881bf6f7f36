@testable import Board
import DeviceIO
import Drivers
@testable import EmulatedBoard
import Foundation
import Simulation
import Testing

/// The supervisor's path to safe outputs (issue 14, items 2 and 3): its own handle on the output chip, never the
/// real-time thread's bus object, and the PCA9685's OE line for a bus that cannot take the safe pulses.
@Suite struct SupervisorSafeOutputsTests {
    /// The SITL board with its outputs live: every servo commanded away from its safe pulse, as in flight.
    func flyingBoard(_ name: String = "sitl") throws -> (BoardConfig, EmulatedHardware, BoardDevices) {
        let board = try BoardConfig.load(fromFile: boardPath(name))
        let hardware = EmulatedHardware(board: board, switchArmed: true)
        let devices = BoardDevices(board: board, hardware: hardware)
        #expect(devices.errors.isEmpty)
        let bank = try #require(devices.outputs)
        for index in 0..<bank.channelCount { try bank.setPulseWidth(channel: index, pulseUs: 1_900) }
        try bank.setEnabled(true)
        hardware.manualClock.advance(byUs: 1_000)  // the oscillator's start-up
        return (board, hardware, devices)
    }

    /// What each servo sees, to the nearest 10 µs (the PCA9685's 4.9 µs steps at 50 Hz).
    func observed(_ hardware: EmulatedHardware, _ board: BoardConfig) -> [Double] {
        board.pwm.channels.indices.map { ((hardware.observedPulseUs(bankIndex: $0, board: board) ?? -1) / 10).rounded() * 10 }
    }

    @Test func theSupervisorWritesSafePulsesWithoutTouchingTheRealtimeBusObject() throws {
        let (board, hardware, devices) = try flyingBoard()
        #expect(observed(hardware, board) == [1_900, 1_900, 1_900, 1_900])
        let realtimeBus = hardware.bus(1)
        let attemptsBefore = realtimeBus.statistics.attempts

        let opened = SupervisorSafeOutputs.open(board: board, hardware: hardware)
        #expect(opened.errors.isEmpty)
        let outcome = opened.outputs.driveSafe()
        #expect(outcome.pulsesWritten && !outcome.heldOffByOutputEnable && outcome.failures.isEmpty)
        #expect(observed(hardware, board) == board.pwm.channels.map { Double($0.safeUs) })
        // Not one transfer went through the object the real-time thread's drivers hold.
        #expect(realtimeBus.statistics.attempts == attemptsBefore)
        let writer = try #require(opened.outputs.writer as? PCA9685SafeWriter<AnyI2CBus>)
        #expect(writer.device.bus.base !== realtimeBus)
        // The daemon's old path (the flight bank's own safe values) does go through that object: the measurement
        // above would have seen the sharing.
        try devices.outputs?.applySafeValues()
        #expect(realtimeBus.statistics.attempts > attemptsBefore)
    }

    @Test func aStuckBusLeavesEveryOutputOffThroughTheOELineUntilTheLoopRecovers() throws {
        let (board, hardware, _) = try flyingBoard()
        let opened = SupervisorSafeOutputs.open(board: board, hardware: hardware)
        #expect(opened.errors.isEmpty)
        #expect(opened.outputs.outputEnable != nil)
        let writer = try #require(opened.outputs.writer as? PCA9685SafeWriter<AnyI2CBus>)
        let handle = try #require(writer.device.bus.base as? EmulatedI2CBus)
        handle.inject(I2CFault(address: 0x40, effect: .timeout))

        let outcome = opened.outputs.driveSafe()
        #expect(!outcome.pulsesWritten && outcome.heldOffByOutputEnable)
        #expect(outcome.summary.contains("held off by the OE line"))
        // The chip still holds the stalled loop's 1900 µs, but no pulse leaves it.
        #expect(observed(hardware, board) == [0, 0, 0, 0])
        #expect(try #require(hardware.pca9685).register(0x06 + 3) != 0x10)

        #expect(opened.outputs.loopRecovered() == nil)
        #expect(observed(hardware, board) == [1_900, 1_900, 1_900, 1_900])
        #expect(!opened.outputs.heldOff)
    }

    @Test func withoutAnOELineAStuckBusIsReportedAsNotMadeSafe() throws {
        let text = try String(contentsOfFile: boardPath("sitl"), encoding: .utf8)
            .replacingOccurrences(of: "output_enable_gpio_chip = \"gpiochip0\"\noutput_enable_line = 22\n", with: "")
        let board = try decodeBoard(text)
        #expect(board.pwm.outputEnable == nil)
        let hardware = EmulatedHardware(board: board, switchArmed: true)
        let opened = SupervisorSafeOutputs.open(board: board, hardware: hardware)
        let writer = try #require(opened.outputs.writer as? PCA9685SafeWriter<AnyI2CBus>)
        try #require(writer.device.bus.base as? EmulatedI2CBus)
            .inject(I2CFault(address: 0x40, effect: .nack))
        let outcome = opened.outputs.driveSafe()
        #expect(!outcome.pulsesWritten && !outcome.heldOffByOutputEnable)
        #expect(outcome.summary.hasPrefix("OUTPUTS NOT MADE SAFE"))
    }

    @Test func aSysfsBankGetsItsSafePulsesThroughTheSupervisorsOwnWriter() throws {
        let (board, hardware, devices) = try flyingBoard("rpi-sysfs-pwm")
        #expect(board.pwm.outputEnable == nil)
        let opened = SupervisorSafeOutputs.open(board: board, hardware: hardware)
        #expect(opened.errors.isEmpty)
        #expect(opened.outputs.driveSafe().pulsesWritten)
        #expect(observed(hardware, board) == board.pwm.channels.map { Double($0.safeUs) })
        #expect(opened.outputs.writer !== devices.outputs)
    }

    /// The supervisor's writes while the real-time thread drives the same chip: every transfer goes through the
    /// adapter lock, so the chip ends at one writer's whole value, never a torn one.
    @Test func concurrentWritesFromTheSupervisorAreSerialisedWithTheLoops() throws {
        let (board, hardware, devices) = try flyingBoard()
        let opened = SupervisorSafeOutputs.open(board: board, hardware: hardware)
        let bank = try #require(devices.outputs)
        let done = DispatchSemaphore(value: 0)
        let supervisor = opened.outputs
        Thread {
            for _ in 0..<2_000 { supervisor.driveSafe() }
            done.signal()
        }.start()
        for i in 0..<20_000 { try bank.setPulseWidth(channel: i % 4, pulseUs: 1_900) }
        done.wait()
        for value in observed(hardware, board) { #expect(value == 1_900 || value == 1_500 || value == 1_000) }
    }
}
