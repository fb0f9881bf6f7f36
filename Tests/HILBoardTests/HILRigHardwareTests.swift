import Board
import DeviceIO
import EmulatedBoard
import Simulation
import Testing
@testable import HILBoard

/// `kestrel fly --hil --hil-servos`: the HIL emulators for the sensors, the servo board mirrored to the board's real
/// one. A second set of emulators stands in for the real board here (the real drivers cannot tell the difference,
/// which is the point of register-level emulation); `Tools/vm/run` drives a real kernel's i2c-stub the same way.
@Suite struct HILRigHardwareTests {
    struct Rig {
        let board: BoardConfig
        let hil: EmulatedHardware
        let real: EmulatedHardware
        let hardware: HILRigHardware
        let devices: BoardDevices

        init() throws {
            board = try HILBoardLinkTests.board()
            let link = try HILBoardLink(transport: QueuedTransport(), board: board)
            // One clock, as the real chip and the board share time: the PCA9685 wakes 500 µs after the driver
            // clears SLEEP, and the driver waits on the rig's clock.
            let clock = ManualClock(startUs: 0)
            hil = EmulatedHardware(board: board, clock: clock, bench: HILBench(link: link))
            real = EmulatedHardware(board: board, clock: clock)
            hardware = HILRigHardware(hil: hil, real: real, board: board)
            devices = BoardDevices(board: board, hardware: hardware)
        }

        var realServoBus: EmulatedI2CBus { real.buses[1]! }
        var hilServoBus: EmulatedI2CBus { hil.buses[1]! }
    }

    /// Both servo boards come up and take every pulse the flight stack's output batch writes: the simulator flies
    /// what the real surfaces show.
    @Test func theRealServoBoardTakesEveryPulseTheEmulatedOneTakes() throws {
        let rig = try Rig()
        #expect(rig.devices.errors.isEmpty, "\(rig.devices.errors)")
        let outputs = try #require(rig.devices.outputs)
        let hilChip = try #require(rig.hil.pca9685), realChip = try #require(rig.real.pca9685)
        try outputs.setEnabled(true)
        outputs.beginBatch()
        let pulses: [UInt16] = [1_700, 1_250, 1_900, 1_100]
        for (channel, pulse) in pulses.prefix(outputs.channelCount).enumerated() {
            try outputs.setPulseWidth(channel: channel, pulseUs: pulse)
        }
        try outputs.commitBatch()
        for (index, pulse) in pulses.prefix(outputs.channelCount).enumerated() {
            let channel = rig.board.pwm.channels[index].channel
            #expect(abs(realChip.pulseUs(channel: channel) - Double(pulse)) < 5, "channel \(channel) on the real board")
            #expect(realChip.pulseUs(channel: channel) == hilChip.pulseUs(channel: channel))
            // What goes back to the simulator as HIL_ACTUATOR_CONTROLS.
            let observed = try #require(rig.hardware.observedPulseUs(bankIndex: index, board: rig.board))
            #expect(abs(observed - Double(pulse)) < 5)
        }
    }

    /// The sensors share the servo board's bus on a Pi, but only the servo board's address reaches the real bus.
    @Test func sensorTransfersNeverReachTheRealBus() throws {
        let rig = try Rig()
        let bus = try rig.hardware.i2cBus(rig.board.imu.i2cBus)
        #expect(bus === (try rig.hardware.i2cBus(rig.board.imu.i2cBus)))
        let realBefore = rig.realServoBus.statistics.attempts
        let hilBefore = rig.hilServoBus.attempts(address: rig.board.imu.address)
        _ = try bus.readByte(address: rig.board.imu.address, register: 0x75)  // WHO_AM_I
        #expect(rig.realServoBus.statistics.attempts == realBefore)
        #expect(rig.realServoBus.attempts(address: rig.board.imu.address) == 0)
        #expect(rig.hilServoBus.attempts(address: rig.board.imu.address) == hilBefore + 1)
    }

    /// A real servo board that stops answering is the flight stack's output failure, as on a flight board; the
    /// simulator still gets the command.
    @Test func aFailingRealServoBoardIsTheFlightStacksFailureAndTheSimulatorStillFlies() throws {
        let rig = try Rig()
        let outputs = try #require(rig.devices.outputs)
        try outputs.setEnabled(true)
        rig.realServoBus.inject(I2CFault(address: 0x40, effect: .nack))
        outputs.beginBatch()
        try outputs.setPulseWidth(channel: 0, pulseUs: 1_800)
        #expect(throws: DeviceError.self) { try outputs.commitBatch() }
        let channel = rig.board.pwm.channels[0].channel
        #expect(abs((try #require(rig.hil.pca9685)).pulseUs(channel: channel) - 1_800) < 5)
    }

    /// The supervisor's safe pulses reach the real board through a handle of its own.
    @Test func theSupervisorsSafePulsesReachTheRealBoard() throws {
        let rig = try Rig()
        let outputs = try #require(rig.devices.outputs)
        try outputs.setEnabled(true)
        outputs.beginBatch()
        try outputs.setPulseWidth(channel: 0, pulseUs: 1_900)
        try outputs.commitBatch()
        let supervisorBus = try rig.hardware.supervisorI2CBus(1)
        #expect(supervisorBus !== (try rig.hardware.i2cBus(1)))
        let (safe, errors) = SupervisorSafeOutputs.open(board: rig.board, hardware: rig.hardware)
        #expect(errors.isEmpty, "\(errors)")
        #expect(safe.driveSafe().pulsesWritten)
        let channel = rig.board.pwm.channels[0].channel
        #expect(abs((try #require(rig.real.pca9685)).pulseUs(channel: channel) - Double(rig.board.pwm.channels[0].safeUs)) < 5)
    }
}
