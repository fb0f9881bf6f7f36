import Board
import DeviceIO
import EmulatedBoard
import FlightRuntime
import Foundation
import HILBoard
import MAVLink
import Simulation

/// `kestrel fly --hil ENDPOINT`: the board's sensors are the register-level emulators SITL uses, fed from a
/// simulator's HIL_SENSOR / HIL_GPS frames (`kestrel sim --hil-serve`, or any HIL simulator) instead of a plant; the
/// pulses the flight stack writes go back as HIL_ACTUATOR_CONTROLS. The link runs on its own thread ("hil-link")
/// and meets the real-time thread only on lock-free rings.
final class HILSession: @unchecked Sendable {
    let endpoint: LinkEndpoint
    private(set) var link: HILBoardLink?
    private var thread: LaunchedThread?

    init(endpoint: LinkEndpoint) { self.endpoint = endpoint }

    /// The HIL board for `board`, its link thread started. Called once, by the daemon's start-up.
    func hardware(for board: BoardConfig, clockStartUs: UInt64, switchArmed: Bool) throws -> any BoardHardware {
        let transport: UDPTransport
        do { transport = try UDPTransport(endpoint: endpoint) } catch {
            throw UserFacingError("--hil \(endpoint): \(error)")
        }
        let link = try HILBoardLink(transport: transport, board: board)
        let hardware = EmulatedHardware(board: board, clock: ManualClock(startUs: clockStartUs),
                                        switchArmed: switchArmed, bench: HILBench(link: link))
        hardware.deviceNameSuffix = " (HIL)"
        func at(_ bus: Int, _ address: UInt8) -> String { "0x" + String(address, radix: 16) + " on I2C bus \(bus)" }
        let chips = ["IMU \(board.imu.chip) at \(at(board.imu.i2cBus, board.imu.address))",
                     "barometer BMP280 at \(at(board.barometer.i2cBus, board.barometer.address))"]
            + (board.airspeed.map { ["airspeed MS4525DO at \(at($0.i2cBus, $0.address))"] } ?? [])
            + ["GPS \(board.gps.device)"]
        Self.say("fly: HIL board: sensors \(chips.joined(separator: ", ")) are the "
                 + "register-level emulators fed from HIL_SENSOR / HIL_GPS on \(endpoint) (sensor timeout "
                 + "\(HILSensorIntake.sensorTimeoutUs / 1000) ms, GPS \(HILSensorIntake.gpsTimeoutUs / 1000) ms); "
                 + "outputs go back as HIL_ACTUATOR_CONTROLS; HIL_STATE_QUATERNION is logged only")
        let thread = LaunchedThread(name: "hil-link") {
            link.run(clock: SystemMonotonicClock()) { Self.say($0) }
        }
        guard thread.start() == 0 else { throw UserFacingError("--hil: cannot start the HIL link thread") }
        self.link = link
        self.thread = thread
        return hardware
    }

    /// Stops the link thread; returns its report.
    func stop() -> String {
        link?.stop()
        thread?.join()
        thread = nil
        return link?.reportText ?? ""
    }

    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}
