import ArgumentParser
import Foundation
import MAVLink
import Mission
import Board
import DeviceIO
import FlightRuntime
import SITL
import Vehicle

struct FlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fly",
        abstract: "Run the flight daemon: the flight stack on a real-time thread against the wall clock.",
        discussion: """
            Runs until SIGTERM or SIGINT (or --seconds), then sets the outputs safe, closes the flight log and prints \
            the scheduler's jitter and overrun report, the threads and the inter-thread ring overflows. Under systemd \
            (Type=notify) it sends READY=1, WATCHDOG=1 while the loop ticks, and STOPPING=1. The vehicle never arms \
            by itself. MAVLink runs on its own telemetry thread and logging on its own log thread; both exchange \
            data with the real-time thread only through lock-free rings. A new log starts at every disarm.
            """)

    @Option(help: "Board file, e.g. Hardware/boards/rpi4-pca9685.toml.")
    var board: String

    @Option(help: "Airframe file (default \(FlightDaemonOptions.defaultAirframePath)).")
    var airframe: String?

    @Option(help: "Mission file to load.")
    var mission: String?

    @Option(help: "Parameter file (NAME value lines, as kestrel sim --params writes) over the airframe's tunables.")
    var params: String?

    @Option(help: "Authorised-operator key file (who may approve the terminal phase).")
    var operators: String?

    @Flag(help: "Run against the register-level emulators (a vehicle at rest) instead of the hardware.")
    var emulated = false

    @Option(help: ArgumentHelp(
        "Hardware in the loop: the sensors come from a simulator's MAVLink HIL_SENSOR / HIL_GPS on this endpoint "
            + "(as --mavlink, e.g. udpin:0.0.0.0:14570) through the register-level emulators, and the outputs go "
            + "back as HIL_ACTUATOR_CONTROLS (kestrel sim SCENARIO --hil-serve serves one).", valueName: "endpoint"))
    var hil: String?

    @Flag(help: ArgumentHelp(
        "With --hil, on a rig: also drive the board's real servo outputs (the board file's PCA9685 and OE line, or "
            + "sysfs PWM chip) with the pulses that go back as HIL_ACTUATOR_CONTROLS, so the surfaces move on the "
            + "bench. The board file must be a real board's."))
    var hilServos = false

    @Flag(help: "With --emulated or --hil: start the emulated safety switch in ARM (bench arming over the link).")
    var emulatedSwitchArmed = false

    @Option(help: ArgumentHelp(
        "With --emulated: fly this closed-loop scenario's plant (airframe, origin, wind, launch) behind the emulators "
            + "in real time instead of a vehicle at rest; --airframe and --mission default to the scenario's.",
        valueName: "scenario"))
    var plant: String?

    @Option(help: "With --plant: seconds from the arm to the catapult shot.")
    var launchDelayS: Double = 5

    @Option(help: "Stop by itself after this many seconds.")
    var seconds: Double?

    @Option(help: ArgumentHelp(
        "Serve a MAVLink 2 ground link, e.g. udpin:0.0.0.0:14550 or udpout:127.0.0.1:14550; repeat or separate by "
            + "commas for several (default: the board file's [mavlink] endpoints).", valueName: "endpoint"))
    var mavlink: [String] = []

    @Option(help: "MAVLink system id 1…255 (default: the board file's, else 1).")
    var systemId: Int?

    @Option(help: "MAVLink 2 signing key file: 32 raw bytes or 64 hex digits, mode 0600 (default: the board file's).")
    var signingKey: String?

    @Flag(help: ArgumentHelp("With --emulated: run the ground link without MAVLink signing (a flight board refuses "
                             + "an unsigned link)."))
    var insecureLink = false

    @Option(help: "Vehicle id approvals are bound to, e.g. 0x4B45535400000001 (default: the mission file's).")
    var vehicleId: String?

    @Option(help: ArgumentHelp("Directory for the flight logs (default \(Self.packagedLogDirectory) when it exists, "
                               + "else \(Self.localLogDirectory)).", valueName: "dir"))
    var logDir: String?

    @Flag(help: "Do not write flight logs.")
    var noLog = false

    @Option(help: "Keep at most this many logs in the log directory (oldest deleted first).")
    var maxLogs: Int = 20

    @Option(help: "Keep at most this many megabytes of logs in the log directory (oldest deleted first).")
    var maxLogMb: Int?

    static let packagedLogDirectory = "/var/lib/kestrel/logs"
    static let localLogDirectory = ".build/logs"

    func validate() throws {
        if let seconds, !(seconds.isFinite && seconds > 0 && seconds <= 86_400 * 7) {
            throw ValidationError("--seconds must be between 0 and 604800, got \(seconds)")
        }
        if let systemId, !(1...255).contains(systemId) {
            throw ValidationError("--system-id must be between 1 and 255, got \(systemId)")
        }
        guard (1...10_000).contains(maxLogs) else {
            throw ValidationError("--max-logs must be between 1 and 10000, got \(maxLogs)")
        }
        if let maxLogMb, !(1...1_000_000).contains(maxLogMb) {
            throw ValidationError("--max-log-mb must be between 1 and 1000000, got \(maxLogMb)")
        }
        if noLog, logDir != nil { throw ValidationError("--no-log and --log-dir exclude each other") }
        if insecureLink, !emulated, hil == nil {
            throw ValidationError("--insecure-link only with --emulated or --hil: a flight board's ground link is signed")
        }
        if hil != nil, emulated || plant != nil {
            throw ValidationError("--hil excludes --emulated and --plant: the simulator on the HIL link feeds the sensors")
        }
        if plant != nil, !emulated { throw ValidationError("--plant flies only behind emulated devices: add --emulated") }
        if hilServos, hil == nil { throw ValidationError("--hil-servos only with --hil: it mirrors a HIL board's outputs") }
        if !(launchDelayS.isFinite && launchDelayS >= 0 && launchDelayS <= 3600) {
            throw ValidationError("--launch-delay-s must be between 0 and 3600, got \(launchDelayS)")
        }
    }

    /// Whether two paths name one file (symbolic links and `..` resolved); nil when either cannot be resolved.
    static func samePath(_ a: String, _ b: String) -> Bool? {
        guard let ra = realpath(a, nil), let rb = realpath(b, nil) else { return nil }
        defer { free(ra); free(rb) }
        return strcmp(ra, rb) == 0
    }

    static func parseVehicleID(_ text: String) throws -> VehicleID {
        let hex = text.hasPrefix("0x") || text.hasPrefix("0X")
        guard let value = hex ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text) else {
            throw ValidationError("--vehicle-id '\(text)' is not a 64-bit number (decimal or 0x hex)")
        }
        return VehicleID(value)
    }

    func run() throws {
        // Before any thread starts, so all of them inherit the blocked SIGTERM/SIGINT.
        FlightDaemon.prepareSignals()
        var selection = BoardSelection(emulated: emulated, emulatedSwitchArmed: emulatedSwitchArmed)
        let hilSession: HILSession?
        do {
            hilSession = try hil.map { text in
                let endpoints = try LinkEndpoint.parseList(text)
                guard endpoints.count == 1, let endpoint = endpoints.first else {
                    throw ValidationError("--hil takes one endpoint, got \(endpoints.count)")
                }
                if case .serial = endpoint { throw ValidationError("--hil: a UDP endpoint (udpin: or udpout:)") }
                return try HILSession(endpoint: endpoint)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("--hil: \(error)")
        }
        selection.program = "kestrel fly"
        var airframePath = airframe, missionPath = mission
        var plantSections: (fence: MissionSetup.Fence?, failsafe: FailsafePolicy?)?
        if let plant {
            let scenario: ClosedLoopScenario
            do { scenario = try ClosedLoopScenario.load(scenarioPath: plant) } catch {
                throw UserFacingError("--plant: \(error)")
            }
            // The flight software must fly the airframe the plant simulates.
            let plantAirframe = scenario.prepared.airframePath
            if let airframe, Self.samePath(airframe, plantAirframe) == false {
                throw UserFacingError("--airframe \(airframe) is not the plant's airframe \(plantAirframe) "
                                      + "(scenario \(plant)); leave --airframe out to fly the plant's")
            }
            airframePath = airframePath ?? plantAirframe
            missionPath = missionPath ?? scenario.missionPath
            selection.plant = (scenario, launchDelayS)
            plantSections = (scenario.fence, scenario.sections.failsafe?.policy)
        }
        var options = FlightDaemonOptions(boardPath: board, airframePath: airframePath, missionPath: missionPath,
                                          operatorsPath: operators, seconds: seconds)
        do {
            options.mavlinkEndpoints = try mavlink.flatMap { try LinkEndpoint.parseList($0) }
        } catch {
            throw ValidationError("--mavlink: \(error)")
        }
        options.parameterFilePath = params
        options.fallbackFence = plantSections?.fence
        options.fallbackFailsafe = plantSections?.failsafe
        options.mavlinkSystemID = systemId.map { UInt8($0) }
        options.signingKeyPath = signingKey
        options.insecureLink = insecureLink
        // The SITL test operators may approve only on an emulated bench or a HIL rig.
        options.allowsSITLTestKeys = emulated || hilSession != nil
        options.vehicleIDFromCommandLine = try vehicleId.map(Self.parseVehicleID)
        if let id = options.vehicleIDFromCommandLine { options.vehicleID = id }
        if !noLog {
            options.logDirectory = logDir ?? (FileManager.default.fileExists(atPath: Self.packagedLogDirectory)
                ? Self.packagedLogDirectory : Self.localLogDirectory)
        }
        hilSession?.truthLogDirectory = options.logDirectory
        if options.logDirectory != nil { options.truthSource = hilSession?.truth }
        options.maxLogCount = maxLogs
        options.maxLogTotalBytes = maxLogMb.map { $0 << 20 }
        let result: FlightDaemonResult
        do {
            // The emulators' clock follows the wall clock: the flight loop moves it to each tick's time.
            let hardware = { (board: BoardConfig) -> any BoardHardware in
                if let hilSession {
                    return try hilSession.hardware(
                        for: board, clockStartUs: SystemMonotonicClock().nowUs(), switchArmed: emulatedSwitchArmed,
                        realServos: hilServos ? { try selection.linuxHardware() } : nil)
                }
                return try selection.hardware(for: board, clockStartUs: SystemMonotonicClock().nowUs())
            }
            result = try FlightDaemon.run(options, environment: ProcessInfo.processInfo.environment,
                                          hardware: hardware) { line in
                // Unbuffered, so a supervisor (systemd, a test) sees each line as it happens.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            _ = hilSession?.stop()
            throw UserFacingError(error)
        }
        let hilReport = hilSession?.stop() ?? ""
        if let signal = result.stopSignal {
            print("fly: stopped by \(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)")")
        } else {
            print("fly: stopped after \(seconds.map { "\($0)" } ?? "?") s")
        }
        if result.watchdogTrips > 0 { print("fly: watchdog tripped \(result.watchdogTrips) time(s)") }
        print(result.report.text, terminator: "")
        print(result.runtimeText, terminator: "")
        print(hilReport, terminator: "")
    }
}
