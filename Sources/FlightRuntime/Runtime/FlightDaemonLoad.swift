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
        hasGeofence = fence != nil
        policy = sections.failsafe?.policy ?? FailsafePolicy()
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

        do { devices = BoardDevices(board: board, hardware: try hardware(board)) } catch {
            throw FlightDaemonError("\(options.boardPath): \(error)")
        }
        if !devices.errors.isEmpty {
            throw FlightDaemonError(devices.errors.map(\.description).joined(separator: "; "))
        }
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
}

extension FlightDaemonLoad {
    /// The one line `kestrel fly` prints on stderr when started without an operator file.
    static let noOperatorsWarning =
        "fly: warning: no --operators file: no operator can approve a terminal phase (every approval is refused)"

    /// What `kestrel fly` warns about on stderr before it starts (one line each).
    static func startupWarnings(_ options: FlightDaemonOptions) -> [String] {
        options.operatorsPath == nil ? [noOperatorsWarning] : []
    }

    /// Writes `line` to standard error at once (start-up only).
    static func warnOnStandardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
