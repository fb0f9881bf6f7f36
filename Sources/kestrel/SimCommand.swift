import ArgumentParser
import Foundation
import MAVLink
import Simulation
import FlightRuntime
import SITL
import DeviceIO

struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a SITL scenario in fast time (lockstep on simulated time) and print a summary.",
        discussion: """
            A scenario with a [mission] section runs closed loop: the autopilot flies the mission on the scenario's \
            emulated board (drivers on register-level emulators, lockstep with the plant). Without one, the \
            scenario's scripted control schedule is played open loop.

            Exit status: 0 when the run flew its duration; 1 on bad input; 3 when the plant called a touchdown a \
            crash (closed loop): the run ends at that step, the summary says when and how fast.

            Batch mode (--batch MANIFEST): many closed-loop runs in one process on --jobs threads, for campaigns. \
            The manifest has one `SCENARIO SEED` per line (the seed is the line's last word; blank lines and # \
            comments are skipped; a relative path is taken from the manifest's directory). Each finished run writes \
            one line of JSON to --summary-jsonl (default: standard output), in the order runs finish: the object \
            --summary-json writes for that run alone (bit for bit the same figures), plus wall_s, exit_status (what \
            the run alone would exit with), error (null, or why the run could not be flown) and line (its manifest \
            line). A run that cannot be flown does not stop the others. --duration-s and --params apply to every \
            run; runs write no flight log; the options of a single run (the scenario argument, --seed, --realtime, \
            --mavlink, --hil-serve, --out, --log-dir, --summary-json, ...) are refused. Exit status: 0 when every \
            run flew, 3 when one crashed, 1 when one could not be flown or the batch itself was bad input.
            """)

    /// Exit status of a closed-loop run that ended in a crash, so scripts and campaigns can tell it from bad input.
    static let crashExitStatus: Int32 = 3

    @Argument(help: "Scenario file (TOML), e.g. Scenarios/demo-open-loop.toml (not with --batch).")
    var scenario: String?

    @Option(help: "Seed for turbulence and sensor noise; overrides the scenario's seed.")
    var seed: UInt64?

    @Option(help: "Directory for the run's outputs (trajectory.csv).")
    var out: String?

    @Option(help: "Trajectory CSV rate in Hz (default 10).")
    var csvRateHz: Double?

    @Flag(help: "Pace the simulation to the wall clock instead of running as fast as possible.")
    var realtime = false

    @Option(help: "Simulated seconds to run instead of the scenario's duration_s (closed loop).")
    var durationS: Double?

    @Option(help: ArgumentHelp(
        "Serve a MAVLink 2 ground link from the simulated vehicle (closed loop), e.g. udpin:0.0.0.0:14550 or "
            + "udpout:127.0.0.1:14550; several separated by commas.", valueName: "endpoints"))
    var mavlink: String?

    @Option(help: ArgumentHelp(
        "Parameter file (NAME value lines) applied over the airframe file's tunables; parameters set over the "
            + "link are saved to it (closed loop).", valueName: "file"))
    var params: String?

    @Flag(help: ArgumentHelp(
        "Do not arm by itself: wait for an arm command over the link (the catapult waits too), so a ground "
            + "station can upload a mission and set parameters first (closed loop, with --mavlink)."))
    var armFromLink = false

    @Option(help: ArgumentHelp(
        "MAVLink 2 signing key of the --mavlink link (32 raw bytes or 64 hex digits, mode 0600): outgoing frames "
            + "are signed and every state-changing message must be validly signed.", valueName: "file"))
    var mavlinkKey: String?

    @Option(help: "With --realtime: simulated seconds per wall-clock second (default 1).")
    var speed: Double?

    @Option(help: ArgumentHelp(
        "Serve a HIL board (kestrel fly --hil) on this endpoint instead of flying the autopilot here: the plant and "
            + "sensor models run paced to the wall clock, send HIL_SENSOR / HIL_GPS / HIL_STATE_QUATERNION and fly "
            + "the received HIL_ACTUATOR_CONTROLS, e.g. udpout:127.0.0.1:14570 (closed-loop scenarios).",
        valueName: "endpoint"))
    var hilServe: String?

    @Option(help: "With --hil-serve: seconds from the board's arm to the catapult shot (default 5).")
    var launchDelayS: Double?

    @Option(help: ArgumentHelp(
        "With --hil-serve: also be the ground station on the board's ground link (its kestrel fly --mavlink) and run "
            + "the scenario's [operator] script there: arm the board, ask for the terminal phase, send the script's "
            + "signed approvals and wave-offs, hold, return to launch (signed with --mavlink-key). The board must "
            + "authorise the script's test keys (--operators Scenarios/hil/test-operators.pub).",
        valueName: "endpoint"))
    var operatorLink: String?

    @Option(help: "Directory for the closed-loop run's ULog flight log (default: --out, else .build/logs).")
    var logDir: String?

    @Flag(help: "Do not write a flight log (closed loop).")
    var noLog = false

    @Option(help: ArgumentHelp(
        "Write the run's figures, crash, mode transitions and gate decisions as JSON to this file (closed loop), "
            + "also when the run crashed.", valueName: "file"))
    var summaryJson: String?

    @Option(help: ArgumentHelp(
        "Fly the runs this manifest lists (`SCENARIO SEED` lines) in one process, one JSON line each (see above).",
        valueName: "manifest"))
    var batch: String?

    @Option(help: ArgumentHelp("With --batch: worker threads (default: the online CPUs).", valueName: "n"))
    var jobs: Int?

    @Option(help: ArgumentHelp(
        "With --batch: write the runs' JSON lines to this file (default: standard output).", valueName: "file"))
    var summaryJsonl: String?

    func validate() throws {
        // Batch mode checks its options in `runBatch`, where a conflict is one line naming the option.
        if batch != nil { return }
        guard scenario != nil else { throw ValidationError("Missing expected argument '<scenario>' (or --batch)") }
        let csvRateHz = csvRateHz ?? 10, speed = speed ?? 1, launchDelayS = launchDelayS ?? 5
        guard csvRateHz.isFinite, csvRateHz > 0, csvRateHz <= 1000 else {
            throw ValidationError("--csv-rate-hz must be between 0 and 1000, got \(csvRateHz)")
        }
        guard speed.isFinite, speed > 0, speed <= 1000 else {
            throw ValidationError("--speed must be between 0 and 1000, got \(speed)")
        }
        if mavlinkKey != nil, mavlink == nil, operatorLink == nil {
            throw ValidationError("--mavlink-key needs --mavlink or --operator-link")
        }
        if operatorLink != nil, hilServe == nil {
            throw ValidationError("--operator-link needs --hil-serve: without it the operator script runs in the "
                                  + "simulation itself")
        }
        if hilServe != nil, mavlink != nil || realtime || out != nil || summaryJson != nil {
            throw ValidationError("--hil-serve runs the plant only, on the wall clock: the ground link is the board's "
                                  + "(kestrel fly --mavlink); --mavlink, --realtime, --out and --summary-json do not "
                                  + "apply")
        }
        guard launchDelayS.isFinite, launchDelayS >= 0, launchDelayS <= 3600 else {
            throw ValidationError("--launch-delay-s must be between 0 and 3600, got \(launchDelayS)")
        }
    }

    func run() throws {
        if let batch {
            try runBatch(manifest: batch)
            return
        }
        guard let scenario else { throw ValidationError("Missing expected argument '<scenario>'") }
        if jobs != nil { throw SimBatchError.needsBatch(option: "--jobs") }
        if summaryJsonl != nil { throw SimBatchError.needsBatch(option: "--summary-jsonl") }
        let csvRateHz = csvRateHz ?? 10, speed = speed ?? 1
        var csvPath: String?
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw UserFacingError("cannot create output directory '\(out)': \(error.localizedDescription)")
            }
            csvPath = (out as NSString).appendingPathComponent("trajectory.csv")
        }
        let prepared: PreparedScenario
        do {
            prepared = try PreparedScenario.load(scenarioPath: scenario)
        } catch {
            throw UserFacingError(error)
        }
        if let hilServe {
            try serveHIL(prepared: prepared, endpointText: hilServe)
            return
        }
        if prepared.scenario.mission != nil {
            if let durationS, !(durationS.isFinite && durationS > 0 && durationS <= 86_400) {
                throw ValidationError("--duration-s must be between 0 and 86400, got \(durationS)")
            }
            do {
                var closed = try ClosedLoopScenario(prepared: prepared, parameterFilePath: params)
                if armFromLink {
                    guard mavlink != nil else { throw ValidationError("--arm-from-link needs --mavlink") }
                    closed.autoArm = false
                }
                let signingKey = try mavlinkKey.map { path in
                    do { return try SigningKeyFile.load(path: path) } catch { throw UserFacingError("--mavlink-key: \(error)") }
                }
                let ground = try mavlink.map { text in
                    var configuration = GroundLinkConfiguration()
                    configuration.vehicleUID = SITLRun.vehicleID.rawValue
                    configuration.signingKey = signingKey
                    return GroundLinkSetup(configuration: configuration, transports: try Self.openTransports(text),
                                           endpoints: try Self.endpoints(text))
                }
                nonisolated(unsafe) var paced: SITLRun?
                let summary = try ClosedLoopRun.run(closed, seed: seed, durationS: durationS,
                                                    trajectoryCSVPath: csvPath, csvRateHz: csvRateHz,
                                                    realtime: realtime, speed: speed,
                                                    logDirectory: noLog ? nil : logDir ?? out ?? ".build/logs",
                                                    ground: ground, unixTimeUs: Self.unixTimeUs) { paced = $0 }
                print(summary.report)
                if let summaryJson { try Self.writeJSON(summary, to: summaryJson) }
                if let report = paced?.pacingReport { print("wall-clock pacing (RealtimeLoop):\n" + report.text) }
                if let crash = summary.crash {
                    let figures = String(format: "%.1f s (%.1f m/s over the ground, %.1f m/s down)",
                                         crash.timeS, crash.impactSpeedMps, crash.verticalSpeedMps)
                    FileHandle.standardError.write(Data(
                        "kestrel sim: the vehicle crashed at \(figures) in mode \(summary.finalMode); the run ended there\n".utf8))
                    throw ExitCode(Self.crashExitStatus)
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw UserFacingError(error)
            }
            return
        }
        if mavlink != nil { throw ValidationError("--mavlink needs a closed-loop scenario (one with [mission])") }
        if summaryJson != nil { throw ValidationError("--summary-json needs a closed-loop scenario (one with [mission])") }
        if params != nil { throw ValidationError("--params needs a closed-loop scenario (one with [mission])") }
        let summary: ScriptedRunSummary
        let wallStart = ContinuousClock.now
        do {
            summary = try ScriptedRun.run(prepared, seed: seed, trajectoryCSVPath: csvPath, csvRateHz: csvRateHz,
                                          realtime: realtime)
        } catch {
            throw UserFacingError(error)
        }
        let wall = ContinuousClock.now - wallStart
        let wallS = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        print(summary.report)
        print(String(format: "wall time %.2f s: %.0f× real time", wallS, summary.durationS / max(wallS, 1e-9)))
    }

    static func writeJSON(_ summary: ClosedLoopSummary, to path: String) throws {
        do {
            try summary.jsonData().write(to: URL(fileURLWithPath: path))
        } catch {
            throw UserFacingError("--summary-json: cannot write '\(path)': \((error as NSError).localizedDescription)")
        }
    }

    /// `--launch-delay-s`, optional only so batch mode can tell it was given.
    var launchDelay: Double { launchDelayS ?? 5 }

    func serveHIL(prepared: PreparedScenario, endpointText: String) throws {
        guard prepared.scenario.mission != nil else {
            throw ValidationError("--hil-serve needs a closed-loop scenario (one with [mission]: its board wires the "
                                  + "servos)")
        }
        if let durationS, !(durationS.isFinite && durationS > 0 && durationS <= 86_400) {
            throw ValidationError("--duration-s must be between 0 and 86400, got \(durationS)")
        }
        let endpoints = try Self.endpoints(endpointText, option: "--hil-serve")
        guard endpoints.count == 1, let endpoint = endpoints.first else {
            throw ValidationError("--hil-serve takes one endpoint, got \(endpoints.count)")
        }
        do {
            let closed = try ClosedLoopScenario(prepared: prepared, parameterFilePath: params)
            let transport = try UDPTransport(endpoint: endpoint)
            let serve = try HILServe(scenario: closed, transport: transport, seed: seed, launchDelayS: launchDelay)
            let groundOperator = try operatorLink.map { try hilOperator(closed, endpointText: $0) }
            let duration = durationS ?? prepared.scenario.durationS
            Self.say("hil-serve: \(prepared.scenarioPath) on \(endpoint): plant at \(1_000_000 / serve.vehicle.stepUs) "
                     + "Hz paced to the wall clock for \(duration) s; HIL_SENSOR at the IMU rate, HIL_GPS at the GPS rate, "
                     + "HIL_STATE_QUATERNION at \(HILServe.truthRateHz) Hz; catapult \(launchDelay) s after the "
                     + "board arms")
            if let operatorLink, let groundOperator {
                Self.say("hil-serve: the scenario's operator script on the board's ground link \(operatorLink)"
                         + (mavlinkKey == nil ? " (unsigned)" : " (signed)") + ", arming the board from t "
                         + String(format: "%.1f s", Double(groundOperator.armAtUs ?? 0) * 1e-6))
            }
            serve.run(clock: SystemMonotonicClock(), durationUs: UInt64(duration * 1e6), status: { Self.say($0) }) {
                wallUs in
                groundOperator?.poll(plantUs: serve.vehicle.timeUs, heightM: -serve.vehicle.state.positionNEDM.z,
                                     wallUs: wallUs, unixTimeUs: Self.unixTimeUs(), say: Self.say)
            }
            print(serve.summary, terminator: "")
            if let groundOperator { print(groundOperator.summary) }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw UserFacingError(error)
        }
    }

    /// The scenario's operator as the ground station on a HIL board's ground link; it arms the board from
    /// `launch_time_s` less the launch delay, so the shot comes when the scenario says.
    func hilOperator(_ closed: ClosedLoopScenario, endpointText: String) throws -> HILOperator {
        guard let file = closed.sections.operator else {
            throw UserFacingError("--operator-link: \(closed.prepared.scenarioPath) has no [operator] section to run")
        }
        let script: ScriptedOperator
        do { script = try ScriptedOperator(file: file) } catch {
            throw UserFacingError("\(closed.prepared.scenarioPath): [operator]: \(error)")
        }
        var configuration = OperatorLinkSession.Configuration()
        if let mavlinkKey {
            do { configuration.signingKey = try SigningKeyFile.load(path: mavlinkKey) } catch {
                throw UserFacingError("--mavlink-key: \(error)")
            }
        }
        let endpoints = try Self.endpoints(endpointText, option: "--operator-link")
        guard endpoints.count == 1, let endpoint = endpoints.first else {
            throw ValidationError("--operator-link takes one endpoint, got \(endpoints.count)")
        }
        let transport: UDPTransport
        do { transport = try UDPTransport(endpoint: endpoint) } catch {
            throw UserFacingError("--operator-link \(endpointText): \(error)")
        }
        let armAtS = max(0, closed.mission.launchTimeS - launchDelay)
        return HILOperator(script: script, session: OperatorLinkSession(configuration: configuration, transport: transport),
                           armAtUs: UInt64((armAtS * 1e6).rounded()))
    }

    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    /// The host's UTC clock for MAVLink signature timestamps (0 if unreadable: signing then counts on).
    static func unixTimeUs() -> UInt64 {
        var ts = timespec()
        guard clock_gettime(CLOCK_REALTIME, &ts) == 0, ts.tv_sec > 0, ts.tv_nsec >= 0 else { return 0 }
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec / 1000)
    }

    static func endpoints(_ text: String, option: String = "--mavlink") throws -> [LinkEndpoint] {
        do { return try LinkEndpoint.parseList(text) } catch { throw UserFacingError("\(option) \(text): \(error)") }
    }

    static func openTransports(_ text: String) throws -> [any LinkTransport] {
        do {
            return try endpoints(text).map { try UDPTransport(endpoint: $0) }
        } catch let error as UserFacingError {
            throw error
        } catch {
            throw UserFacingError("--mavlink \(text): \(error)")
        }
    }
}
