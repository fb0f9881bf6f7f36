import Board
import DeviceIO
import EmulatedBoard
import FlightMath
import Simulation
import Testing
@testable import HILBoard

@Suite struct HILBenchTests {
    /// Before a sensor read the bench feeds the IMU chip every frame the link accepted, and nothing when none came:
    /// the chip then holds no new sample, which is how a stopped simulator reaches the flight stack.
    @Test func feedsTheEmulatedIMUOnlyWhatArrived() throws {
        let board = try HILBoardLinkTests.board()
        let link = try HILBoardLink(transport: QueuedTransport(), board: board)
        let hardware = EmulatedHardware(board: board, clock: ManualClock(startUs: 0), bench: HILBench(link: link))
        // The drivers bring the chips up (the IMU leaves sleep), as the daemon's start-up does.
        let devices = BoardDevices(board: board, hardware: hardware)
        #expect(devices.errors.isEmpty)
        let frame = HILSensorFrame(simTimeUs: 1, accelFRDMps2: Vector3(0, 0, -9.8), gyroFRDRadps: .zero,
                                   temperatureC: 20, staticPressurePa: 95_000)
        link.sensorFrames.push(frame)
        link.sensorFrames.push(frame)
        hardware.willReadSensors(atUs: 2_500)
        #expect(hardware.imu.samplesFed == 2)
        hardware.willReadSensors(atUs: 5_000)
        hardware.willReadSensors(atUs: 60_000)
        #expect(hardware.imu.samplesFed == 2)
        // Each read hands the link the board's outputs (here no pulses yet, disarmed).
        let out = try #require(link.outputFrames.popLatest())
        #expect(out.boardTimeUs == 60_000)
        #expect(out.channelCount == board.pwm.channels.count)
        #expect(!out.armed)
        hardware.outputsArmedChanged(true)
        hardware.willReadSensors(atUs: 62_500)
        #expect(link.outputFrames.popLatest()?.armed == true)
    }
}
