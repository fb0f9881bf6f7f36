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

    /// The simulator's frames reach the board in bursts when the link thread or the host is late. The chip's DLPF
    /// filters the physical signal at the simulator's own sample spacing, so a burst of four frames read at once
    /// leaves the chip's output where four frames read one by one leave it. (Stamped with the read's time instead,
    /// the filter saw intervals of 0 and of four samples, redesigned itself for 250 Hz and jumped to the step.)
    @Test func burstsOfFramesAreFilteredAtTheSimulatorsSampleSpacing() throws {
        func stepFractionAfterTwoSamples(framesPerRead: Int) throws -> Double {
            let board = try HILBoardLinkTests.board()
            let link = try HILBoardLink(transport: QueuedTransport(), board: board)
            let hardware = EmulatedHardware(board: board, clock: ManualClock(startUs: 0), bench: HILBench(link: link))
            let devices = BoardDevices(board: board, hardware: hardware)
            #expect(devices.errors.isEmpty)
            #expect(hardware.imu.register(0x1A) & 0x07 != 0, "the driver leaves the DLPF on")
            var nowUs: UInt64 = 10_000
            for index in 0..<16 {
                let rateRadps = index < 14 ? 0.0 : 1.0
                link.sensorFrames.push(HILSensorFrame(simTimeUs: 1_000 * UInt64(index + 1),
                                                      accelFRDMps2: Vector3(0, 0, -9.8),
                                                      gyroFRDRadps: Vector3(rateRadps, rateRadps, rateRadps),
                                                      temperatureC: 20))
                if (index + 1) % framesPerRead == 0 {
                    nowUs += 1_000 * UInt64(framesPerRead)
                    hardware.willReadSensors(atUs: nowUs)
                }
            }
            #expect(hardware.imu.samplesFed == 16)
            let counts = Int16(bitPattern: UInt16(hardware.imu.register(0x43)) << 8 | UInt16(hardware.imu.register(0x44)))
            return abs(Double(counts)) / (hardware.imu.gyroCountsPerDps * 180 / Double.pi)
        }
        let oneByOne = try stepFractionAfterTwoSamples(framesPerRead: 1)
        let bursts = try stepFractionAfterTwoSamples(framesPerRead: 4)
        #expect(oneByOne < 0.95, "two samples into the step the DLPF still lags")
        #expect(abs(bursts - oneByOne) < 0.01, "bursts \(bursts) against one by one \(oneByOne)")
    }
}

@Suite struct SimulatorTimeAnchorTests {
    /// Samples keep the simulator's spacing; a restarted simulator or a clock drift beyond a second re-anchors.
    @Test func keepsTheSimulatorsSpacingAndReanchorsOnRestartOrDrift() {
        var anchor = SimulatorTimeAnchor()
        #expect(anchor.boardTimeUs(ofSimTimeUs: 5_000, nowUs: 100_000) == 100_000)
        #expect(anchor.boardTimeUs(ofSimTimeUs: 6_000, nowUs: 100_000) == 101_000)
        #expect(anchor.boardTimeUs(ofSimTimeUs: 7_000, nowUs: 104_000) == 102_000)
        // The simulator restarted at 0: the new frame is now.
        #expect(anchor.boardTimeUs(ofSimTimeUs: 0, nowUs: 110_000) == 110_000)
        #expect(anchor.boardTimeUs(ofSimTimeUs: 1_000, nowUs: 110_500) == 111_000)
        // Two seconds of simulator time in half a second of board time: beyond the drift limit, re-anchored.
        #expect(anchor.boardTimeUs(ofSimTimeUs: 2_001_000, nowUs: 611_000) == 611_000)
        #expect(anchor.boardTimeUs(ofSimTimeUs: UInt64.max, nowUs: 612_000) == 612_000)
    }
}
