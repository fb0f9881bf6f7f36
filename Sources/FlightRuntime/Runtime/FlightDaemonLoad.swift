import ConfigFiles
import DeviceIO
import Mission
import Board
import Vehicle
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Everything `kestrel fly` reads before the first tick: board, airframe settings, mission, operator keys, and the
/// opened devices with the flight stack on them. Every failure is one line naming the file or device.
struct FlightDaemonLoad {
    let board: BoardConfig
    let airframePath: String
    /// The airframe's tunables (logged as the log's parameters).
    let parameters: AirframeParameters
    /// The mission file's plan, as the ground link first shows it.
    let missionFile: MissionFile?
    let devices: BoardDevices
    /// The supervisor's own path to safe outputs (never the real-time thread's bank or bus object).
    let safeOutputs: SupervisorSafeOutputs
    /// The board's I2C bus time per tick on these buses; the daemon does not start when it does not fit.
    let busBudget: I2CBusBudget
    let stack: FlightStack
    let operatorCount: Int
    let policy: FailsafePolicy
    let vehicleID: VehicleID
    let hasGeofence: Bool
    /// What missions are built with (on the telemetry thread, see `FlightVehicleLink`).
    let missionSetup: MissionSetup

    init(_ options: FlightDaemonOptions, hardware: (BoardConfig) throws -> any BoardHardware) throws(FlightDaemonError) {
        do { board = try BoardConfig.load(fromFile: options.boardPath) } catch {
            throw FlightDaemonError("board: \(error.description)")
        }
        airframePath = options.airframePath ?? FlightDaemonOptions.defaultAirframePath
        do {
            parameters = try AirframeParameters.load(airframePath: airframePath,
                                                     parameterFilePath: options.parameterFilePath)
        } catch {
            throw FlightDaemonError("airframe: \(error.description)")
        }
        let settings = parameters.settings
        var mission: MissionFile?
        var sections = FlyMissionSections()
        if let path = options.missionPath {
            do {
                mission = try ConfigFile.load(MissionFile.self, fromFile: path,
                                              sectionsReadElsewhere: FlyMissionSections.ownSections)
                sections = try ConfigFile.load(FlyMissionSections.self, fromFile: path,
                                               sectionsReadElsewhere: FlyMissionSections.planSections)
            } catch {
                throw FlightDaemonError("mission: \(error.description)")
            }
        }
        var fence: MissionSetup.Fence?
        if let g = sections.geofence {
            do { fence = try g.fence() } catch {
                throw FlightDaemonError("mission: \(options.missionPath ?? ""): \(error.description)")
            }
        }
        fence = fence ?? options.fallbackFence
        hasGeofence = fence != nil
        policy = sections.failsafe?.policy ?? options.fallbackFailsafe ?? FailsafePolicy()
        if let id = sections.vehicle?.id, options.vehicleIDFromCommandLine == nil {
            guard id >= 0 else {
                throw FlightDaemonError("mission: \(options.missionPath ?? ""): vehicle.id: must not be negative")
            }
            vehicleID = VehicleID(UInt64(id))
        } else {
            vehicleID = options.vehicleID
        }
        let operators: OperatorKeyRing
        if let path = options.operatorsPath {
            do {
                operators = try AuthorisedKeyFile.load(path: path, refusingTestKeys: !options.allowsSITLTestKeys)
            } catch {
                throw FlightDaemonError("operators: \(error.description)")
            }
        } else {
            do { operators = try OperatorKeyRing(keys: []) } catch {
                throw FlightDaemonError("operators: \(error.description)")
            }
        }
        operatorCount = operators.keys.count

        let boardHardware: any BoardHardware
        do { boardHardware = try hardware(board) } catch {
            throw FlightDaemonError("\(options.boardPath): \(error)")
        }
        // Approvals are bound to the vehicle id: on a flight board it must be this airframe's own, never the id
        // every SITL run and bench shares.
        if !boardHardware.isEmulated, vehicleID == FlightDaemonOptions.sitlVehicleID {
            throw FlightDaemonError("vehicle id: \(vehicleID) is the SITL and bench id; give this airframe's own with "
                                    + "--vehicle-id or [vehicle] id in the mission file")
        }
        try Self.checkLinkSigning(options, board: board, emulated: boardHardware.isEmulated)
        busBudget = try Self.checkBusBudget(board: board, hardware: boardHardware, path: options.boardPath,
                                            baroRateHz: settings.flight.baroRateHz)
        devices = BoardDevices(board: board, hardware: boardHardware)
        if !devices.errors.isEmpty {
            throw FlightDaemonError(devices.errors.map(\.description).joined(separator: "; "))
        }
        let supervisor = SupervisorSafeOutputs.open(board: board, hardware: boardHardware)
        if !supervisor.errors.isEmpty {
            throw FlightDaemonError(supervisor.errors.map(\.description).joined(separator: "; "))
        }
        safeOutputs = supervisor.outputs
        let setup = MissionSetup(policy: policy, vehicleID: vehicleID, operators: operators,
                                 nonceSource: .system(SystemNonceSource()), fence: fence)
        do {
            // Arming is an operator command: the daemon never arms by itself.
            missionFile = mission
            missionSetup = setup
            // The mission is built off the real-time thread and installed (FlightVehicleLink, MissionHandoff).
            stack = try FlightStack(settings: settings, devices: devices, mission: mission,
                                    missionSource: options.missionPath ?? "", missionSetup: setup, autoArm: false,
                                    preparesMission: false)
        } catch {
            throw FlightDaemonError("\(options.boardPath): \(error.description)")
        }
    }

    /// The task table's I2C traffic must fit the tick and the task budgets at the buses' real speed: a table that
    /// does not would overrun every tick while the control laws assume the nominal period. Refused with the figures
    /// and the fix (`check-board` prints the whole table).
    static func checkBusBudget(board: BoardConfig, hardware: any BoardHardware, path: String, baroRateHz: Double)
        throws(FlightDaemonError) -> I2CBusBudget
    {
        let budget: I2CBusBudget
        do { budget = try FlightStack.busBudget(board: board, hardware: hardware, baroRateHz: baroRateHz) } catch {
            throw FlightDaemonError("\(path): realtime.base_rate_hz: \(error.description)")
        }
        if let refusal = budget.refusal {
            let clocks = budget.buses.map { "bus \($0.bus) at \($0.clock.description)" }.joined(separator: ", ")
            throw FlightDaemonError("\(path): \(clocks): \(refusal) (kestrel check-board --board \(path) prints the "
                                    + "bus time per device)")
        }
        return budget
    }

    /// A ground link is signed, except on an emulated board whose operator asked for it unsigned by name.
    static func checkLinkSigning(_ options: FlightDaemonOptions, board: BoardConfig, emulated: Bool)
        throws(FlightDaemonError) {
        let hasLink = !options.mavlinkEndpoints.isEmpty || !(board.mavlink?.endpoints ?? []).isEmpty
        let hasKey = (options.signingKeyPath ?? board.mavlink?.signingKeyFile) != nil
        if hasKey, options.insecureLink {
            throw FlightDaemonError("mavlink: --insecure-link and a signing key exclude each other")
        }
        guard hasLink, !hasKey else { return }
        guard emulated else {
            throw FlightDaemonError("mavlink: a flight board's ground link must be signed: give --signing-key FILE "
                                    + "(or signing_key_file in the board file's [mavlink]); unsigned, anyone on the "
                                    + "link can arm the vehicle, replace its mission or wave it off")
        }
        guard options.insecureLink else {
            throw FlightDaemonError("mavlink: no signing key: give --signing-key FILE, or --insecure-link to run this "
                                    + "emulated board's link unsigned")
        }
    }
}

extension FlightDaemonLoad {
    /// The one line `kestrel fly` prints on stderr when started without an operator file.
    static let noOperatorsWarning =
        "fly: warning: no --operators file: no operator can approve a terminal phase (every approval is refused)"

    /// The line for a board file without `[battery_monitor]`.
    static func noBatteryMonitorWarning(board: String) -> String {
        "fly: warning: board '\(board)' has no [battery_monitor]: the flight stack knows no battery voltage, so "
            + "neither the arming check nor the low-battery failsafe can act"
    }

    /// What `kestrel fly` warns about on stderr before it starts (one line each).
    static func startupWarnings(_ options: FlightDaemonOptions, board: BoardConfig) -> [String] {
        (options.operatorsPath == nil ? [noOperatorsWarning] : [])
            + (board.batteryMonitor == nil ? [noBatteryMonitorWarning(board: board.name)] : [])
    }

    /// Writes `line` to standard error at once (start-up only).
    static func warnOnStandardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
