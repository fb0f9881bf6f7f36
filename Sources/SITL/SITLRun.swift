import Atomics
import DeviceIO
import FlightMath
import Foundation
import MAVLink
import Mission
import Simulation
import Board
import Vehicle
import FlightRuntime
import EmulatedBoard
import LockFree

/// One closed-loop SITL flight in lockstep: each base tick the plant takes one step (1/400 s) under the servo
/// pulses the autopilot last wrote, its sensor readings are fed to the register-level emulators, and the vehicle
/// host that `kestrel fly` runs (`VehicleHost`: the flight stack, the rings, the ground link's vehicle model, the
/// log writer) takes its tick at the plant's time, all on this thread. The autopilot reads its sensors through the
/// drivers and writes its outputs through the PCA9685 driver exactly as on a board; ground-station commands,
/// approvals, missions and parameters cross the same rings as in flight. Deterministic for a seed: no wall-clock
/// time enters the loop (the scheduler's stopwatch is the simulated clock; host timing is measured beside it).
///
/// Before `launch_time_s` the airframe sits on the catapult (the autopilot aligns, gets its GPS origin and arms);
/// the catapult then accelerates it along the rail to the launch speed over the stroke, and the plant flies free.
public final class SITLRun {
    public let scenario: ClosedLoopScenario
    public let seed: UInt64
    public private(set) var vehicle: SimulatedVehicle
    public let emulation: EmulatedHardware
    public let devices: BoardDevices
    /// The vehicle as `kestrel fly` runs it, stepped in lockstep here.
    public let host: VehicleHost
    /// The flight stack between ticks.
    public internal(set) var stack: FlightStack {
        get { host.stack }
        _modify { yield &host.stack }
    }
    /// Every mode transition and gate decision of the run, in order, from the ticks' outputs.
    public private(set) var transitions: [ModeTransition] = []
    public private(set) var gateEvents: [GateLogRecord] = []
    public private(set) var scheduler: RateScheduler
    public let linkage: ServoLinkage
    /// The plant's truth at 50 Hz for the flight log's groundtruth topics (`FlightLogWriter.truthSource`).
    public let truth: SPSCValueRing<TruthSample>
    public private(set) var metrics = FlightMetrics()
    /// Host time spent in the flight stack's ticks (not in the plant), ns.
    public private(set) var stackNs: UInt64 = 0
    public private(set) var maxTickNs: UInt64 = 0
    public private(set) var ticks: UInt64 = 0
    /// Which sensors the last plant step sampled.
    public private(set) var lastUpdates: SensorUpdates = []
    private let catapult: Catapult
    /// The scenario's chips that stop answering for a while.
    private var deviceFaults: DeviceFaultSchedule
    /// When the catapult fires: the scenario's time, or later if the vehicle is not yet armed then (a launch crew
    /// waits for the arm; the vehicle needs its estimator and GPS checks to pass first).
    private var launchUs: UInt64
    private let clock: ManualClock
    private let useMagnetometer: Bool
    private var lastReached: Int?
    /// The scripted ground station: approvals and link state (heartbeats) for the run.
    public private(set) var operatorScript: ScriptedOperator
    /// The airframe's tunables as set so far (from the ground over the host's link, saved to the parameter file).
    public var parameters: AirframeParameters { host.telemetry.model.airframe ?? scenario.parameters }
    /// UTC for MAVLink signatures on the ground link (µs since 1970).
    private let unixTimeUs: () -> UInt64
    /// Set while the ground link is being polled: a wait for the real-time side's reply steps the simulation, and
    /// those steps must not poll the link again.
    private var pollingGround = false
    /// During the terminal phase: the closest horizontal approach (truth) to the designated point and the height
    /// above it there.
    public private(set) var terminalClosest: (distanceM: Double, heightM: Double)?
    /// The first touchdown the plant called a crash. The run ends on that step: a wreck on the ground has nothing
    /// left to fly, and figures taken after it would describe a flight that did not happen.
    public private(set) var crash: TouchdownEvent?
    /// Operator commands the vehicle refused, with the time, for the run's timeline.
    public private(set) var refusals: [(timeS: Double, text: String)] = []
    /// The vehicle id SITL runs use in approval requests.
    /// The plan's designated point in the plant's NED frame (the scenario origin is the launch point and home).
    private lazy var designationNEDM: Vector3? = scenario.missionFile.designation.map { d in
        vehicle.frame.ned(of: Geodetic(
            latitudeDeg: d.latDeg, longitudeDeg: d.lonDeg, altitudeM: vehicle.frame.origin.altitudeM + d.altitudeM))
    }
    public static let vehicleID = VehicleID(0x4B45_5354_0000_0001)
    /// Called after every step (the trajectory CSV samples there).
    public var afterStep: ((SITLRun) -> Void)?

    /// - Parameters:
    ///   - utcAtStartUnixS: UTC of simulated time zero, as the emulated GPS receiver reports it (and so the
    ///     approval gate's clock); nil for a fixed date, so fast-time runs stay deterministic.
    ///   - ground: a MAVLink ground link served by the host (`kestrel sim --mavlink`), polled every 5 ms of
    ///     simulated time; `unixTimeUs` dates its signatures.
    public init(scenario: ClosedLoopScenario, seed overrideSeed: UInt64? = nil, utcAtStartUnixS: Int64? = nil,
                ground: GroundLinkSetup? = nil, unixTimeUs: @escaping () -> UInt64 = { 0 })
        throws(ClosedLoopScenarioError) {
        self.scenario = scenario
        self.unixTimeUs = unixTimeUs
        let prepared = scenario.prepared
        seed = overrideSeed ?? prepared.scenario.seed
        do { vehicle = try prepared.makeVehicle(seed: seed) } catch { throw .scenario(error) }
        clock = ManualClock(startUs: 0)
        useMagnetometer = scenario.settings.estimation.useMagnetometer
        emulation = EmulatedHardware(board: scenario.board, clock: clock, switchArmed: true,
                                  utcAtClockZeroUnixS: utcAtStartUnixS)
        emulation.feedBattery(voltageV: vehicle.truth.batteryVoltageV, currentA: vehicle.truth.batteryCurrentA)
        devices = BoardDevices(board: scenario.board, hardware: emulation)
        if let failure = devices.errors.first {
            throw .setup(file: scenario.boardPath, reason: failure.description)
        }
        do {
            let script = scenario.sections.operator ?? OperatorScriptFile()
            let op = try ScriptedOperator(file: script)
            operatorScript = op
            var policy = scenario.sections.failsafe?.policy ?? FailsafePolicy()
            if scenario.sections.failsafe?.lowBatteryVoltageSet != true {
                // 3.4 V per cell under load: the usual LiPo floor for a return with margin.
                policy.lowBatteryVoltageV = 3.4 * Double(prepared.airframe.battery.cells)
            }
            let setup = MissionSetup(
                policy: policy, vehicleID: Self.vehicleID,
                operators: op.keyRing, nonceSource: .seeded(SeededNonceSource(seed: seed)), fence: scenario.fence)
            // As in flight, the mission is built off the real-time side (by the host's link model) and installed.
            let stack = try FlightStack(settings: scenario.settings, devices: devices, mission: scenario.missionFile,
                                        missionSource: scenario.missionPath, missionSetup: setup,
                                        autoArm: scenario.autoArm, preparesMission: false)
            host = VehicleHost(
                VehicleHostSetup(stack: stack, baseRateHz: Int(scenario.board.realtime.baseRateHz.rounded()),
                                 policy: policy, parameters: scenario.parameters, missionFile: scenario.missionFile,
                                 missionSource: scenario.missionPath, missionSetup: setup, ground: ground),
                sleepUs: { _ in })
            linkage = try ServoLinkage(airframe: prepared.airframe, mixer: scenario.settings.control.mixer,
                                       board: scenario.board)
            truth = try SPSCValueRing(capacity: 64)  // 1.3 s at 50 Hz; the log side takes them every 100 ms
        } catch {
            throw .setup(file: prepared.airframePath, reason: "\(error)")
        }
        let baseRate = Int(scenario.board.realtime.baseRateHz.rounded())
        guard UInt64(1_000_000 / max(baseRate, 1)) == vehicle.stepUs else {
            throw .setup(file: scenario.boardPath, reason: "base rate \(baseRate) Hz differs from the plant's step "
                         + "rate \(vehicle.options.stepRateHz) Hz; lockstep needs them equal")
        }
        do {
            scheduler = RateScheduler(table: try FlightStack.taskTable(baseRateHz: baseRate), startUs: vehicle.timeUs)
        } catch {
            throw .setup(file: scenario.boardPath, reason: error.description)
        }
        deviceFaults = try DeviceFaultSchedule(prepared.scenario.deviceFaults ?? [], board: scenario.board,
                                               scenarioPath: prepared.scenarioPath)
        // On the rail: at rest, pitched up by the climb angle, on the launch heading.
        catapult = scenario.catapult
        launchUs = UInt64(scenario.mission.launchTimeS * 1e6)
        vehicle.reset(state: catapult.railStart)
        // A wait for the real-time side's reply passes simulated time: the vehicle flies on meanwhile, as in flight.
        host.telemetry.model.sleepUs = { [unowned self] us in self.advance(byUs: us) }
        host.telemetry.model.parameterSaver = { [scenario] parameters in Self.save(parameters, scenario: scenario) }
    }

    /// Writes the tunables to the scenario's parameter file, if it has one; returns why it could not.
    private static func save(_ parameters: AirframeParameters, scenario: ClosedLoopScenario) -> String? {
        guard let path = scenario.parameterFilePath else { return nil }
        let text = ParameterFile.format(
            parameters.fileEntries,
            header: "Kestrel parameters over \(scenario.prepared.airframePath); written when one is set.")
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            return "\(path) could not be written: \((error as NSError).localizedDescription)"
        }
        return nil
    }

    /// Steps until `us` of simulated time have passed.
    private func advance(byUs us: UInt64) {
        let end = vehicle.timeUs &+ us
        while vehicle.timeUs < end { step() }
    }

    public var timeS: Double { vehicle.timeS }

    /// One lockstep tick: plant step, emulators fed, flight stack tasks due at the new time.
    public func step() {
        let controls = linkage.controls(board: emulation, config: scenario.board)
        let t = vehicle.timeUs &+ vehicle.stepUs  // the time this step ends
        if t >= launchUs, t < launchUs &+ vehicle.stepUs, host.output.mode != .standby { launchUs = t &+ 1_000_000 }
        let updates = catapult.step(&vehicle, controls: controls, firedAtUs: launchUs)
        if crash == nil, let touchdown = vehicle.lastTouchdown, touchdown.isCrash { crash = touchdown }
        lastUpdates = updates
        feed(updates, readings: vehicle.readings)
        deviceFaults.apply(atUs: vehicle.timeUs, to: emulation)
        let hostStart = SystemMonotonicClock.nowNs()
        tickFlightStack(atUs: vehicle.timeUs)
        let tickNs = SystemMonotonicClock.nowNs() &- hostStart
        stackNs &+= tickNs
        maxTickNs = max(maxTickNs, tickNs)
        ticks &+= 1
        if host.outputHasEvents {
            let events = host.output.events
            for i in 0..<events.transitionCount { transitions.append(events.transition(i)) }
            for i in 0..<events.gateRecordCount { gateEvents.append(events.gateRecord(i)) }
        }
        if vehicle.stepCount % 8 == 0 {
            let output = host.output
            metrics.record(vehicle: vehicle, output: output)
            if output.mode == .terminal, let d = designationNEDM {
                let p = vehicle.state.positionNEDM
                let distance = ((p.x - d.x) * (p.x - d.x) + (p.y - d.y) * (p.y - d.y)).squareRoot()
                if distance < terminalClosest?.distanceM ?? .infinity {
                    terminalClosest = (distance, -(p.z - d.z))
                }
            }
        }
        // The scripted operator: 10 Hz, between ticks.
        if vehicle.stepCount % 40 == 0 { pollOperator(atUs: vehicle.timeUs) }
        // The host's telemetry side every 5 ms and its log side every 100 ms, as their threads do in flight.
        if !pollingGround, vehicle.timeUs % FlightTelemetry.pollPeriodUs < vehicle.stepUs {
            pollingGround = true
            host.telemetry.poll(nowUs: vehicle.timeUs, unixTimeUs: unixTimeUs())
            pollingGround = false
        }
        if vehicle.stepCount % 8 == 0, host.logWriter != nil {
            let s = vehicle.state
            truth.push(TruthSample(timeUs: vehicle.timeUs, position: vehicle.geodeticPosition, attitude: s.attitude,
                                   bodyRateFRDRadps: s.bodyRateFRDRadps))
        }
        if vehicle.stepCount % 40 == 20 { host.logWriter?.service() }
        afterStep?(self)
    }

    /// The flight software's half of a tick: the emulators' clock moves to `timeUs` and the scheduler runs the
    /// flight stack's due tasks there (the scheduler's stopwatch is the simulated clock, so host timing can never
    /// change which tasks run).
    public func tickFlightStack(atUs timeUs: UInt64) {
        clock.set(toUs: timeUs)
        let simNs = timeUs &* 1000
        host.tick(&scheduler, nowUs: timeUs, stopwatchNs: { simNs })
    }

    private func pollOperator(atUs t: UInt64) {
        let output = host.output
        let commands = operatorScript.poll(nowUs: t, mode: output.mode, heightM: output.navigation.heightAboveOriginM,
                                           pendingRequest: output.gate.pending)
        if operatorScript.linkUp(nowUs: t) { stack.lastGroundContactUs = t }
        // The pack reaches the flight stack through the board's battery monitor (its driver reads the emulator);
        // a board without one knows no voltage, as on hardware.
        let truth = vehicle.truth
        emulation.feedBattery(voltageV: truth.batteryVoltageV, currentA: truth.batteryCurrentA)
        for c in commands { _ = handle(c, nowUs: t) }
    }

    /// A scripted operator command, handed to the flight stack between ticks (the script stands in for the person
    /// at the ground station; link commands go through the host's rings). A refusal is recorded in the run's
    /// timeline and returned.
    @discardableResult
    public func handle(_ command: OperatorCommand, nowUs t: UInt64) -> CommandRefusal? {
        guard let refusal = stack.handle(command, nowUs: t) else { return nil }
        refusals.append((Double(t) * 1e-6, refusal.description))
        return refusal
    }

    /// Replays one recorded plant step into the emulators and ticks the flight stack, without stepping this run's
    /// plant (benchmarks of the flight tick alone).
    public func replayTick(updates: SensorUpdates, readings: SensorReadings, timeUs: UInt64) {
        feed(updates, readings: readings)
        tickFlightStack(atUs: timeUs)
    }

    private func feed(_ updates: SensorUpdates, readings r: SensorReadings) {
        emulation.feed(updates, readings: r)
        // The boards have no magnetometer chip: the simulated one is handed to the sensor path directly.
        if useMagnetometer, updates.contains(.mag), let s = r.mag { stack.deliver(magnetometer: s) }
    }

    /// Runs to `durationS` of simulated time (the scenario's duration by default).
    /// - Parameters:
    ///   - realtime: pace to the wall clock with the flight daemon's own `RealtimeLoop` (see `runPaced`).
    ///   - trajectory: called every `trajectoryEvery` steps (for the CSV).
    ///   - speed: with `realtime`, simulated seconds per wall second.
    ///   - everyTick: called after every step.
    public func run(durationS: Double? = nil, realtime: Bool = false, speed: Double = 1, trajectoryEvery: UInt64 = 40,
                    trajectory: ((SITLRun) -> Void)? = nil, everyTick: ((SITLRun) -> Void)? = nil) {
        let total = UInt64(((durationS ?? scenario.prepared.scenario.durationS) / vehicle.dtS).rounded())
        let end = vehicle.stepCount &+ total
        let previous = afterStep
        // Steps are counted on the plant, so the ones a ground link's reply wait takes (see `advance`) count too.
        afterStep = { run in
            previous?(run)
            everyTick?(run)
            if let trajectory, run.vehicle.stepCount % trajectoryEvery == 0 { trajectory(run) }
        }
        defer { afterStep = previous }
        if realtime {
            runPaced(untilStep: end, speed: speed)
            return
        }
        while vehicle.stepCount < end, crash == nil { step() }
    }

    /// The wall-clock pacing report of the last `run(realtime: true)`: the `RealtimeLoop`'s jitter and overruns.
    public private(set) var pacingReport: SchedulerReport?

    /// `kestrel sim --realtime`: the same `RealtimeLoop` and `RateScheduler` as `kestrel fly`, on the wall clock,
    /// with one task that takes lockstep steps. Time stays injected: the flight stack inside each step still runs
    /// on simulated time (so a paced run flies exactly as a fast-time run of the same seed), only the pacing
    /// comes from CLOCK_MONOTONIC. The loop ticks at plant rate × speed, several steps per tick above 1000 Hz.
    private func runPaced(untilStep end: UInt64, speed: Double) {
        let stepHz = 1e6 / Double(vehicle.stepUs)
        let pace = speed.isFinite && speed > 0 ? speed : 1
        let stepsPerTick = max(1, Int((stepHz * pace / 1000).rounded(.up)))
        let wallHz = min(max(Int((stepHz * pace / Double(stepsPerTick)).rounded()), 50), 1000)
        let table: TaskTable
        do {
            table = try TaskTable(baseRateHz: wallHz, tasks: [
                TaskSpec(name: "sitl-step", rateHz: wallHz, budgetUs: UInt64(1_000_000 / wallHz)),
            ])
        } catch {
            // 50…1000 Hz with a budget of one period always validates.
            preconditionFailure("\(error)")
        }
        let loop = RealtimeLoop(table: table)
        var tasks = PacedSteps(run: self, endStep: end, firstStep: vehicle.stepCount, stepsPerTick: stepsPerTick,
                               stepsPerUs: stepHz * pace / 1e6, stop: loop.stop)
        pacingReport = SchedulerReport(scheduler: loop.run(tasks: &tasks))
    }
}

/// The task of a paced SITL run: the lockstep steps due by this wall-clock tick (`stepsPerTick` normally; after
/// skipped ticks up to four times that, so simulated time keeps up with the wall clock × speed), until `endStep`.
private struct PacedSteps: RealtimeTasks {
    let run: SITLRun
    let endStep: UInt64
    let firstStep: UInt64
    let stepsPerTick: Int
    let stepsPerUs: Double
    let stop: ManagedAtomic<Bool>
    var firstUs: UInt64?

    mutating func run(taskIndex: Int, nowUs: UInt64) {
        let first = firstUs ?? nowUs
        firstUs = first
        let done = run.vehicle.stepCount &- firstStep
        let due = UInt64(Double(nowUs &- first) * stepsPerUs) &+ UInt64(stepsPerTick)
        let steps = due > done ? min(Int(clamping: due - done), 4 * stepsPerTick) : 0
        for _ in 0..<steps where run.vehicle.stepCount < endStep && run.crash == nil { run.step() }
    }

    func afterTick(_ timing: TickTiming, scheduler: borrowing RateScheduler) {
        if run.vehicle.stepCount >= endStep || run.crash != nil { stop.store(true, ordering: .relaxed) }
    }
}
