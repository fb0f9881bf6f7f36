@testable import Board
@testable import BoardCheck
import DeviceIO
import Drivers
import EmulatedBoard
import FlightMath
import Simulation
import Testing

/// Issue 14: a factory-default u-blox (9600 baud, NMEA only) on a 115200-baud UBX board gave no fix, because nothing
/// configured it. The board's devices now set it up when they open it.
@Suite struct GPSSetupBoardTests {
    func sitl() throws -> BoardConfig { try BoardConfig.load(fromFile: boardPath("sitl")) }

    /// The emulated board with a receiver of the test's choosing on the GPS UART.
    final class ReceiverHardware: BoardHardware {
        let base: EmulatedHardware
        let receiver: EmulatedGPS
        init(_ base: EmulatedHardware, _ receiver: EmulatedGPS) {
            self.base = base
            self.receiver = receiver
        }
        var clock: DeviceClock { base.clock }
        var deviceNameSuffix: String { base.deviceNameSuffix }
        var isEmulated: Bool { true }
        func i2cBus(_ number: Int) throws(DeviceError) -> any I2CBus { try base.i2cBus(number) }
        func gpsPort(_ settings: GPSSettings) throws(DeviceError) -> any SerialPort {
            try receiver.setBaudRate(settings.baudRate)
            return receiver
        }
        func safetySwitchInput(_ settings: SafetySwitchSettings) throws(DeviceError) -> any DigitalInput {
            try base.safetySwitchInput(settings)
        }
        func sysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError) -> any PWMOutputs {
            try base.sysfsPWM(chip: chip, channels: channels, config: config)
        }
        func supervisorI2CBus(_ number: Int) throws(DeviceError) -> any I2CBus { try base.supervisorI2CBus(number) }
        func supervisorSysfsPWM(chip: Int, channels: [Int], config: PWMBankConfig) throws(DeviceError)
            -> any SafePulseWriter
        {
            try base.supervisorSysfsPWM(chip: chip, channels: channels, config: config)
        }
        func outputEnableLine(_ settings: OutputEnableLine) throws(DeviceError) -> any DigitalOutput {
            try base.outputEnableLine(settings)
        }
        func pwmReferenceInput(gpioChip: String, line: UInt32, outputChannel: Int) throws(DeviceError)
            -> any DigitalInput
        {
            try base.pwmReferenceInput(gpioChip: gpioChip, line: line, outputChannel: outputChannel)
        }
        func willReadSensors(atUs nowUs: UInt64) { base.willReadSensors(atUs: nowUs) }
    }

    static let truth = GPSFix(
        timestampUs: 0, fixType: .fix3D, position: Geodetic(latitudeDeg: 47.3977, longitudeDeg: 8.5456, altitudeM: 488),
        velocityNEDMps: .zero, horizontalAccuracyM: 1.5, verticalAccuracyM: 2.5, speedAccuracyMps: 0.3,
        satellitesUsed: 12)

    func fixes(_ devices: BoardDevices, clock: ManualClock, seconds: Double) throws -> [GPSFix] {
        let port = try #require(devices.gpsPort)
        var parser = GPSStreamParser(protocol: devices.board.gps.protocolKind)
        var buffer = [UInt8](repeating: 0, count: 256)
        var out: [GPSFix] = []
        let end = clock.nowUs() + UInt64(seconds * 1e6)
        while clock.nowUs() < end {
            clock.advance(byUs: 2_500)
            if let fix = try buffer.withUnsafeMutableBytes({ try parser.poll(port, buffer: $0, nowUs: clock.nowUs()) }) {
                out.append(fix)
            }
        }
        return out
    }

    @Test func factoryDefaultReceiverGivesFixesOnTheUBXBoard() throws {
        let board = try sitl()
        #expect(board.gps.baudRate == 115_200 && board.gps.protocolKind == .ubx)
        let base = EmulatedHardware(board: board)
        let receiver = EmulatedGPS(config: .factoryDefault(generation: .m8), clock: base.manualClock)
        let devices = BoardDevices(board: board, hardware: ReceiverHardware(base, receiver))
        #expect(devices.errors.isEmpty, "\(devices.errors)")
        receiver.feed(Self.truth)
        let got = try fixes(devices, clock: base.manualClock, seconds: 2)
        #expect(got.count >= 9, "\(got.count) fixes in 2 s")
        #expect(got.last?.fixType == .fix3D)
        #expect(receiver.dynamicModel == UBloxDynamicModel.airborne4g.rawValue)
    }

    @Test func aFailedSetUpIsAGPSErrorNamingThePortAndLeavesNoPort() throws {
        let board = try sitl()
        let base = EmulatedHardware(board: board)
        var config = EmulatedGPSConfig.factoryDefault(generation: .m8)
        config.refusedConfigMessageIDs = [0x08]
        let devices = BoardDevices(board: board, hardware: ReceiverHardware(base, EmulatedGPS(config: config,
                                                                                           clock: base.manualClock)))
        #expect(devices.gpsPort == nil)
        let error = try #require(devices.errors.first)
        #expect(error.role == .gps)
        #expect(error.cause == .gpsSetup(.refused(port: "/dev/ttyAMA0 (emulated)", message: "UBX-CFG-RATE",
                                                  baudRate: 9600)))
        #expect(error.description.contains("refused UBX-CFG-RATE"))
    }

    @Test func checkBoardSaysWhatTheSetUpFound() throws {
        let board = try sitl()
        let report = BoardCheck.run(board: board, hardware: EmulatedHardware(board: board, bench: StationaryTruth(seed: 3)),
                                    options: .init(seconds: 2))
        let text = report.description
        #expect(text.contains("receiver: NEO-M8N-0, ROM CORE 3.01 (107888)"))
        #expect(text.contains("PROTVER=18.00"))
        #expect(text.contains("found at 9600 baud, set to 115200 baud, UBX only, NAV-PVT at 5.0 Hz"))
        #expect(abs((report.device(.gps)?.rateHz ?? 0) - 5) < 0.5)
    }

    @Test func aReceiverConfiguredBeforehandIsLeftAlone() throws {
        var board = try sitl()
        board.gps.configure = false
        let hardware = EmulatedHardware(board: board)
        let devices = BoardDevices(board: board, hardware: hardware)
        #expect(devices.errors.isEmpty && devices.gpsSetup == nil)
        #expect(hardware.gps.receivedFromHost.isEmpty)
        hardware.gps.feed(Self.truth)
        #expect(try fixes(devices, clock: hardware.manualClock, seconds: 1).count >= 4)
        let report = BoardCheck.run(devices: devices, options: .init(seconds: 0.5))
        #expect(report.description.contains("receiver: not configured at start ([gps] configure = false)"))
    }
}
