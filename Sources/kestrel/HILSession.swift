import Board
import DeviceIO
import EmulatedBoard
import FlightRuntime
import Foundation
import FlightMath
import HILBoard
import LockFree
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

    /// Where the simulator's truth goes (a CSV beside the flight logs); nil: not written.
    var truthLogDirectory: String?
    private var truthFile: FileHandle?
    private(set) var truthPath: String?

    /// The truth frames for the flight log's groundtruth topics: the link thread pushes, the log thread pops.
    let truth: SPSCValueRing<TruthSample>

    init(endpoint: LinkEndpoint) throws {
        self.endpoint = endpoint
        truth = try SPSCValueRing(capacity: 64)  // 6 s of 10 Hz truth; the log thread takes them every 100 ms
    }

    /// A truth frame as the log's groundtruth sample, at its reception on the board's monotonic clock.
    static func truthSample(_ t: HilStateQuaternion, boardUs: UInt64) -> TruthSample {
        let q = t.attitudeQuaternion
        return TruthSample(
            timeUs: boardUs,
            position: Geodetic(latitudeDeg: Double(t.lat) * 1e-7, longitudeDeg: Double(t.lon) * 1e-7,
                               altitudeM: Double(t.alt) / 1000),
            attitude: Quaternion(w: Double(q[0]), x: Double(q[1]), y: Double(q[2]), z: Double(q[3])),
            bodyRateFRDRadps: Vector3(Double(t.rollspeed), Double(t.pitchspeed), Double(t.yawspeed)))
    }

    static let truthHeader = "board_time_us,sim_time_us,lat_deg,lon_deg,alt_m,qw,qx,qy,qz,roll_rate_radps,"
        + "pitch_rate_radps,yaw_rate_radps,vn_mps,ve_mps,vd_mps,true_airspeed_mps\n"

    /// One CSV line of a truth frame (the link thread's; it may allocate).
    static func truthLine(_ t: HilStateQuaternion, boardUs: UInt64) -> String {
        let q = t.attitudeQuaternion
        let fields: [String] = [
            "\(boardUs)", "\(t.timeUsec)", "\(Double(t.lat) * 1e-7)", "\(Double(t.lon) * 1e-7)", "\(Double(t.alt) / 1000)",
            "\(q[0])", "\(q[1])", "\(q[2])", "\(q[3])", "\(t.rollspeed)", "\(t.pitchspeed)", "\(t.yawspeed)",
            "\(Double(t.vx) / 100)", "\(Double(t.vy) / 100)", "\(Double(t.vz) / 100)", "\(Double(t.trueAirspeed) / 100)",
        ]
        return fields.joined(separator: ",") + "\n"
    }

    /// Opens the truth CSV; a failure is said and the flight goes on without it (truth is never flight data).
    private func openTruthLog() {
        guard let directory = truthLogDirectory else { return }
        let path = (directory as NSString).appendingPathComponent("hil-truth-\(Int(Date().timeIntervalSince1970)).csv")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(Self.truthHeader.utf8)) else {
                throw CocoaError(.fileWriteUnknown)
            }
            truthFile = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try truthFile?.seekToEnd()
            truthPath = path
        } catch {
            Self.say("fly: HIL truth log \(path) not written: \(error.localizedDescription)")
        }
    }

    /// The HIL board for `board`, its link thread started. Called once, by the daemon's start-up.
    /// - Parameter realServos: with `--hil-servos`, opens the board's real devices; the servo outputs then drive
    ///   them as well as the emulated ones (`HILRigHardware`).
    func hardware(for board: BoardConfig, clockStartUs: UInt64, switchArmed: Bool,
                  realServos: (() throws -> any BoardHardware)? = nil) throws -> any BoardHardware {
        var real: (any BoardHardware)?
        if let realServos {
            guard !board.emulated else {
                throw UserFacingError("--hil-servos: board '\(board.name)' is emulated (emulated = true); the real "
                                      + "servos are a real board's: pass its board file")
            }
            real = try realServos()
        }
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
                 + "outputs go back as HIL_ACTUATOR_CONTROLS; HIL_STATE_QUATERNION is logged only"
                 + (board.batteryMonitor.map {
                     "; battery monitor INA226 at \(at($0.i2cBus, $0.address)) fed from BATTERY_STATUS (without it the "
                         + "monitor reads 0 V and arming is refused for low battery)"
                 } ?? ""))
        var rig: (any BoardHardware)?
        if let real {
            let servos = switch board.pwm.driver {
            case .pca9685(let bus, let address, _):
                "PCA9685 at 0x\(String(address, radix: 16)) on I2C bus \(bus)"
                    + (board.pwm.outputEnable.map { " (OE: \($0.gpioChip) line \($0.line))" } ?? "")
            case .sysfs(let chip): "PWM chip \(chip) (sysfs)"
            }
            Self.say("fly: HIL rig: the servo outputs also drive the board's real \(servos); the simulator still gets "
                     + "them as HIL_ACTUATOR_CONTROLS")
            rig = HILRigHardware(hil: hardware, real: real, board: board)
        }
        openTruthLog()
        if truthLogDirectory != nil {
            let ring = truth, file = truthFile
            link.truthHandler = { frame, boardUs in
                ring.push(Self.truthSample(frame, boardUs: boardUs))
                file?.write(Data(Self.truthLine(frame, boardUs: boardUs).utf8))
            }
            Self.say("fly: HIL truth (HIL_STATE_QUATERNION) logged to the flight log's groundtruth topics"
                     + (truthPath.map { " and to \($0)" } ?? ""))
        }
        let thread = LaunchedThread(name: "hil-link") {
            link.run(clock: SystemMonotonicClock()) { Self.say($0) }
        }
        guard thread.start() == 0 else { throw UserFacingError("--hil: cannot start the HIL link thread") }
        self.link = link
        self.thread = thread
        return rig ?? hardware
    }

    /// Stops the link thread; returns its report.
    func stop() -> String {
        link?.stop()
        thread?.join()
        thread = nil
        try? truthFile?.close()
        truthFile = nil
        return link?.reportText ?? ""
    }

    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}
