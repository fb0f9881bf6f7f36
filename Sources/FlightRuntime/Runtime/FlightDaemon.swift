import Atomics
import Board
import ConfigFiles
import DeviceIO
import LockFree
import MAVLink
import Mission
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Vehicle

/// What `kestrel fly` was asked to fly.
public struct FlightDaemonOptions: Sendable {
    public var boardPath: String
    /// Nil: the default airframe file.
    public var airframePath: String?
    public var missionPath: String?
    /// Parameter file (`NAME value` lines, as `kestrel sim --params` writes) applied over the airframe's tunables.
    public var parameterFilePath: String?
    /// The authorised-operator key file; without one nobody can approve a terminal phase.
    public var operatorsPath: String?
    /// Accept the deterministic SITL test keys in the operator file (`kestrel fly --emulated` on a bench only):
    /// false refuses them, as a vehicle that really flies must, since anyone can derive them.
    public var allowsSITLTestKeys = false
    /// Stop by itself after this long; nil = until SIGTERM/SIGINT.
    public var seconds: Double?
    /// Used when neither the command line nor the mission file's `[vehicle] id` gives one.
    public var vehicleID: VehicleID
    /// `--vehicle-id`: overrides the mission file.
    public var vehicleIDFromCommandLine: VehicleID?
    /// Ground-link endpoints (`--mavlink`); empty: the board file's `[mavlink]` endpoints, if any.
    public var mavlinkEndpoints: [LinkEndpoint] = []
    /// MAVLink system id; nil: the board file's, else 1.
    public var mavlinkSystemID: UInt8?
    /// MAVLink 2 signing key file; nil: the board file's, else unsigned.
    public var signingKeyPath: String?
    /// Where the last signing timestamp is kept across restarts (boards without a real-time clock); nil: in the
    /// log directory (`mavlink-signing-timestamp`), or nowhere without one.
    public var signingTimestampPath: String?
    /// Where flight logs go; nil: no log.
    public var logDirectory: String?
    /// A simulator's truth to log as the groundtruth topics (a HIL board's HIL_STATE_QUATERNION); nil: none.
    public var truthSource: SPSCValueRing<TruthSample>?
    /// Rotation: keep at most this many logs, and (optionally) at most this many bytes of logs.
    public var maxLogCount = 20
    public var maxLogTotalBytes: Int?
    public var softwareVersion = "kestrel"
    /// The fence and failsafe policy flown when the mission file has no `[geofence]` / `[failsafe]` (with a plant
    /// behind emulated devices: the plant scenario's).
    public var fallbackFence: MissionSetup.Fence?
    public var fallbackFailsafe: FailsafePolicy?

    public static let defaultAirframePath = "Hardware/airframes/kestrel-2m.toml"
    /// The vehicle id of SITL runs and emulated benches (and the default): refused on a flight board.
    public static let sitlVehicleID = VehicleID(0x4B45_5354_0000_0001)
    /// Run the ground link unsigned; refused on a flight board (anyone on the link could arm the vehicle, replace
    /// its mission or designation, or wave it off).
    public var insecureLink = false

    public init(boardPath: String, airframePath: String? = nil, missionPath: String? = nil,
                operatorsPath: String? = nil, seconds: Double? = nil,
                vehicleID: VehicleID = FlightDaemonOptions.sitlVehicleID) {
        self.boardPath = boardPath; self.airframePath = airframePath; self.missionPath = missionPath
        self.operatorsPath = operatorsPath; self.seconds = seconds
        self.vehicleID = vehicleID
    }
}

/// Why the daemon could not start: one line naming the file or device.
public struct FlightDaemonError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// How a flight ended.
public struct FlightDaemonResult {
    public let report: SchedulerReport
    public let realtime: RealtimeSetup
    /// SIGTERM/SIGINT that stopped the loop, or nil when `seconds` ran out.
    public let stopSignal: Int32?
    public let watchdogTrips: Int
    /// One line per thread: role, scheduling, CPU time and what it did.
    public let threads: [String]
    /// Every inter-thread ring: values pushed and dropped because it was full.
    public let rings: [(name: String, pushed: UInt64, overflows: UInt64)]
    /// Logs written (path, records, bytes, records lost in the ring).
    public let logs: [String]
    /// What the sensor task read: IMU FIFO samples, empty polls, overflows and drops, barometer repeats skipped,
    /// read failures.
    public var sensors = SensorReadCounters()
    /// What the output stage wrote: failed writes, and the device found reset and configured again.
    public var outputs = OutputCounts()

    /// The exit report after the scheduler's: threads, rings, logs.
    public var runtimeText: String {
        var out = "threads:\n"
        for t in threads { out += "  \(t)\n" }
        out += "rings: \(rings.reduce(0) { $0 + $1.overflows }) overflows\n"
        for r in rings { out += "  \(r.name): \(r.pushed) pushed, \(r.overflows) overflows\n" }
        let s = sensors
        out += "sensors: IMU \(s.imuSamplesRead) FIFO samples, \(s.imuEmptyPolls) polls with none new, "
            + "\(s.imuFIFOOverflows) FIFO overflows, \(s.imuSamplesDropped) samples dropped, "
            + "\(s.imuReconfigurations) times found reset and configured again; barometer "
            + "\(s.baroRepeats) repeats not fused, \(s.baroReconfigurations) times found reset and configured again; "
            + "read failures IMU \(s.imuFailures), barometer \(s.baroFailures), "
            + "airspeed \(s.airspeedFailures)\n"
        out += "outputs: \(outputs.writeFailures) write failures, \(outputs.reconfigurations) times the output device "
            + "was found reset and configured again\n"
        out += "logs: \(logs.count)\n"
        for l in logs { out += "  \(l)\n" }
        return out
    }
}

/// The daemon of `kestrel fly`: loads the board, airframe, mission and operator keys, opens the devices, and runs the
/// flight stack on a real-time thread against the wall clock until told to stop. Up to five threads:
///
/// - `kestrel-rt`: applies SCHED_FIFO / mlockall / CPU pinning to itself, then runs `RealtimeLoop`;
/// - `kestrel-tm`: the MAVLink ground link (`GroundLink` over non-blocking sockets, `FlightVehicleLink`);
/// - `kestrel-log`: the flight logs (file I/O, rotation, one log per flight);
/// - `kestrel-super`: the tick watchdog (outputs to safe values if the loop stalls) and systemd READY / WATCHDOG;
/// - `kestrel-sig`: sigwait for SIGTERM/SIGINT, which sets the loop's stop flag.
///
/// The real-time thread talks to the telemetry and log threads only through `RuntimeChannels` (lock-free SPSC
/// rings of fixed-size values). On exit the outputs are set safe, the logs are flushed and closed, systemd hears
/// STOPPING=1, and the report is returned for printing.
public enum FlightDaemon {
    /// Call first thing in `main`, before any thread exists, so every thread inherits the blocked mask.
    public static func prepareSignals() { StopSignals.blockInProcess() }

    /// - Parameter hardware: what the board is (the kernel's devices or emulators), chosen by the caller for the
    ///   loaded board file; a failure is reported as the daemon's start-up error.
    public static func run(_ options: FlightDaemonOptions, environment: [String: String],
                           hardware: (BoardConfig) throws -> any BoardHardware,
                           log: @escaping @Sendable (String) -> Void) throws(FlightDaemonError) -> FlightDaemonResult {
        let loaded = try FlightDaemonLoad(options, hardware: hardware)
        for warning in FlightDaemonLoad.startupWarnings(options, board: loaded.board) { FlightDaemonLoad.warnOnStandardError(warning) }
        let board = loaded.board
        let devices = loaded.devices
        let table: TaskTable
        do {
            table = try FlightStack.taskTable(baseRateHz: Int(board.realtime.baseRateHz.rounded()))
        } catch {
            throw FlightDaemonError("\(options.boardPath): realtime.base_rate_hz: \(error.description)")
        }
        log("fly: board '\(board.name)'\(devices.hardware.deviceNameSuffix), airframe \(loaded.airframePath)"
            + ", mission \(options.missionPath ?? "none"), \(loaded.operatorCount) authorised operator key(s), vehicle "
            + "\(loaded.vehicleID)\(loaded.hasGeofence ? ", geofence" : "")")
        let bus = loaded.busBudget
        log("fly: I2C bus time per tick at most \(I2CBusBudget.format(bus.worstTickUs)) µs of the "
            + "\(I2CBusBudget.format(bus.periodUs)) µs period ("
            + bus.buses.map { "bus \($0.bus) at \($0.clock.description)" }.joined(separator: ", ") + ")")

        let ground = try FlightTelemetry.groundSetup(options: options, board: board, loaded: loaded, log: log)
        let wallClock = SystemMonotonicClock()
        let host = VehicleHost(
            VehicleHostSetup(stack: loaded.stack, baseRateHz: table.baseRateHz, policy: loaded.policy,
                             parameters: loaded.parameters, missionFile: loaded.missionFile,
                             missionSource: options.missionPath ?? "", missionSetup: loaded.missionSetup,
                             ground: ground),
            exchange: ground != nil || options.logDirectory != nil,
            sleepUs: { wallClock.sleep(durationUs: $0) })
        let channels = host.channels
        let link = ground == nil ? nil : host.telemetry
        if let directory = options.logDirectory {
            let setup = FlightLoggerSetup(
                directory: directory, softwareVersion: options.softwareVersion,
                vehicleId: "\(loaded.vehicleID)", board: board.name, airframe: loaded.airframePath,
                startUnixSeconds: 0, maxLogCount: options.maxLogCount,
                parameters: loaded.parameters)
            let totalBytes = options.maxLogTotalBytes
            let writer = FlightLogWriter(channels: channels, log: log) {
                var s = setup
                s.startUnixSeconds = WallTime.unixSeconds()
                s.maxTotalBytes = totalBytes
                return s
            }
            writer.truthSource = options.truthSource
            try host.startLogging(writer)
        }
        let logWriter = host.logWriter

        let loop = RealtimeLoop(table: table)
        let shared = DaemonShared()
        let notifier = SystemdNotifier(environment: environment)
        let watchdogUs = SystemdNotifier.watchdogIntervalUs(environment: environment)
        let durationUs = options.seconds.map { UInt64(($0 * 1e6).rounded()) }
        let realtime = board.realtime

        let signalThread = LaunchedThread(name: "kestrel-sig") {
            let signal = StopSignals.wait()
            if !shared.loopDone.load(ordering: .acquiring) {
                shared.stopSignal.store(signal, ordering: .relaxed)
                loop.stop.store(true, ordering: .relaxed)
            }
        }
        let rtThread = LaunchedThread(name: "kestrel-rt") {
            let setup = RealtimeSetup.apply(fifoPriority: realtime.fifoPriority.map { Int32(clamping: $0) },
                                            lockMemory: realtime.lockMemory, cpu: realtime.cpu)
            shared.realtime = setup
            shared.rtReady.store(true, ordering: .releasing)
            shared.scheduler = loop.run(tasks: &host.tasks, durationUs: durationUs)
            host.tasks.stack.setOutputsSafe()
            shared.sensorCounters = host.tasks.stack.sensorCounters
            shared.outputCounts = host.tasks.stack.outputCounts
            shared.rtCPUUs = ThreadCPUTime.nowUs()
            shared.loopDone.store(true, ordering: .releasing)
        }
        let safeOutputs = loaded.safeOutputs
        let supervisor = LaunchedThread(name: "kestrel-super") {
            supervise(loop: loop, shared: shared, notifier: notifier, watchdogUs: watchdogUs,
                      timeoutUs: max(20 * table.periodUs, 200_000), safeOutputs: safeOutputs, log: log)
        }
        let telemetryThread = link.map { link in
            LaunchedThread(name: "kestrel-tm") {
                link.run(done: { shared.loopDone.load(ordering: .acquiring) })
            }
        }
        let logThread = logWriter.map { writer in
            LaunchedThread(name: "kestrel-log") {
                writer.run(done: { shared.loopDone.load(ordering: .acquiring) })
                shared.logCPUUs = ThreadCPUTime.nowUs()
            }
        }

        var threads: [(LaunchedThread, String)] = [(signalThread, "signal")]
        if let logThread { threads.append((logThread, "log")) }
        if let telemetryThread { threads.append((telemetryThread, "telemetry")) }
        threads += [(rtThread, "real-time"), (supervisor, "supervisor")]
        for (thread, name) in threads {
            let rc = thread.start()
            if rc != 0 {
                loop.stop.store(true, ordering: .relaxed)
                if !rtThread.started { shared.loopDone.store(true, ordering: .releasing) }
                rtThread.join()
                supervisor.join()
                telemetryThread?.join()
                logThread?.join()
                safeOutputs.driveSafe()
                throw FlightDaemonError("cannot start the \(name) thread: pthread_create error \(rc)")
            }
        }
        rtThread.join()
        supervisor.join()
        // Outputs safe first (the real-time thread's last tick set them; this is the supervisor's own path, should
        // that have failed), then the logs and the link finish.
        let finalSafe = safeOutputs.driveSafe()
        if !finalSafe.pulsesWritten { log("fly: at exit: \(finalSafe.summary)") }
        telemetryThread?.join()
        logThread?.join()
        // Wake the signal thread if no signal came (the run timed out): the signal is blocked everywhere, so it is
        // only ever taken by that thread's sigwait.
        if shared.stopSignal.load(ordering: .relaxed) == 0 { kill(getpid(), SIGTERM) }
        signalThread.join()

        notifier.notify("STOPPING=1")
        log("fly: outputs at safe values; stopping")
        let signal = shared.stopSignal.load(ordering: .relaxed)
        guard let scheduler = shared.scheduler else { throw FlightDaemonError("the real-time loop did not run") }
        let report = SchedulerReport(scheduler: scheduler)
        var threadLines = [
            "kestrel-rt      real-time loop: \(shared.realtime.summary), CPU \(shared.rtCPUUs / 1000) ms, "
                + "\(report.ticks) ticks",
        ]
        if let link { threadLines.append("kestrel-tm      telemetry: \(link.summary)") }
        if let logWriter {
            threadLines.append("kestrel-log     logging: \(logWriter.closed.count) log(s) closed, CPU "
                               + "\(shared.logCPUUs / 1000) ms\(logWriter.openFailure.map { ", open failed: \($0)" } ?? "")")
        }
        threadLines.append("kestrel-super   supervisor: \(shared.watchdogTrips.load(ordering: .relaxed)) watchdog trip(s)")
        threadLines.append("kestrel-sig     signals: \(signal == 0 ? "none" : "signal \(signal)")")
        let logs = logWriter?.closed.map { c in
            "\(c.path): \(c.recordsWritten) records, \(c.bytesOnDisk) bytes, \(c.droppedInRing) dropped in the ring"
                + (c.error.map { ", ERROR \($0)" } ?? "")
        } ?? []
        var result = FlightDaemonResult(report: report, realtime: shared.realtime,
                                        stopSignal: signal == 0 ? nil : signal,
                                        watchdogTrips: shared.watchdogTrips.load(ordering: .relaxed),
                                        threads: threadLines, rings: channels.overflowReport, logs: logs)
        result.sensors = shared.sensorCounters
        result.outputs = shared.outputCounts
        return result
    }

    /// The supervisor: logs the real-time setup, says READY once ticks flow, pings the systemd watchdog while they
    /// keep flowing, and on a stall drives the outputs safe and stops pinging (so systemd restarts the daemon).
    static func supervise(loop: RealtimeLoop, shared: DaemonShared, notifier: SystemdNotifier, watchdogUs: UInt64?,
                          timeoutUs: UInt64, safeOutputs: SupervisorSafeOutputs, log: @Sendable (String) -> Void) {
        let clock = SystemMonotonicClock()
        while !shared.rtReady.load(ordering: .acquiring) { clock.sleep(durationUs: 1_000) }
        for line in shared.realtime.logLines { log(line) }
        var watchdog = TickWatchdog(timeoutUs: timeoutUs, startUs: clock.nowUs())
        let pingUs = max((watchdogUs ?? 2_000_000) / 2, 10_000)
        var lastPingUs: UInt64 = 0
        var lastPingTick: UInt64 = 0
        var ready = false
        while !shared.loopDone.load(ordering: .acquiring) {
            clock.sleep(durationUs: 20_000)
            let now = clock.nowUs()
            let ticks = loop.tickCount.load(ordering: .acquiring)
            switch watchdog.check(tickCount: ticks, nowUs: now) {
            case .trip(let silentUs):
                let outcome = safeOutputs.driveSafe()
                shared.watchdogTrips.wrappingIncrement(ordering: .relaxed)
                log("fly: WATCHDOG real-time loop silent for \(silentUs / 1000) ms at tick \(ticks): "
                    + "\(outcome.summary); systemd watchdog no longer fed")
            case .recovered:
                let failure = safeOutputs.loopRecovered()
                log("fly: real-time loop ticking again at tick \(ticks)"
                    + (failure.map { "; outputs still held off: \($0)" } ?? ""))
            case .alive, .stillTripped:
                break
            }
            if !ready, ticks > 0 {
                ready = true
                notifier.notify("READY=1\nSTATUS=flying")
                log("fly: ticking at \(loop.table.baseRateHz) Hz\(notifier.isActive ? "; READY=1 sent" : "")")
            }
            if ready, !watchdog.tripped, ticks != lastPingTick, now &- lastPingUs >= pingUs {
                notifier.notify("WATCHDOG=1")
                lastPingUs = now
                lastPingTick = ticks
            }
        }
    }
}

/// State the daemon's threads share. Plain fields are written by the real-time thread before `rtReady` /
/// `loopDone` is released and read only after acquiring it (or after join).
final class DaemonShared: @unchecked Sendable {
    let rtReady = ManagedAtomic(false)
    let loopDone = ManagedAtomic(false)
    let stopSignal = ManagedAtomic<Int32>(0)
    let watchdogTrips = ManagedAtomic<Int>(0)
    var realtime = RealtimeSetup()
    var scheduler: RateScheduler?
    var sensorCounters = SensorReadCounters()
    var outputCounts = OutputCounts()
    /// CPU time of the real-time and log threads at their end, µs.
    var rtCPUUs: UInt64 = 0
    var logCPUUs: UInt64 = 0
}

