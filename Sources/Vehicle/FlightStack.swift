import Control
import Estimation
import FlightMath
import Guidance
import Mission
import Board

/// The flight software of one vehicle: sensors → navigation filter → mission sequencing → guidance → TECS and
/// attitude control → mixer → gated outputs, split into the scheduler's tasks (`FlightStack.taskTable`):
///
/// | task | rate | does |
/// |---|---|---|
/// | sensors | 400 Hz | polls the drivers, feeds the filter, launch detection |
/// | control | 400 Hz | attitude and rate loops, mixer, PWM write, safety switch |
/// | guidance | 50 Hz | navigation command → roll, height, airspeed setpoints; TECS → pitch and throttle |
/// | mission | 10 Hz | arming, launch, plan sequencing |
///
/// The mission task runs the flight-mode machine (arming checks, launch, mission, the terminal approval gate,
/// failsafes); in mission mode the plan is walked by `PlanSequencer`. Operator commands arrive between ticks through
/// `handle(_:nowUs:)`. The machine and sequencer are built against home, the navigation origin, as a
/// `PreparedMission`: in line by the mission task once navigation has its origin (`preparesMission`, SITL), or off
/// the real-time thread and handed in through `installMission` (`kestrel fly`).
public struct FlightStack: ScheduledTasks {
    public enum Task: Int, CaseIterable, Sendable {
        case sensors = 0, control, guidance, mission
    }

    /// Budgets include the task's I2C transfers, which the real-time thread waits for: at 400 kHz the sensor task
    /// moves about 1.15 ms (IMU FIFO, barometer, pitot) and the output task 0.41 ms (one PCA9685 block write);
    /// `busBudget` checks a board against them.
    public static func taskTable(baseRateHz: Int) throws(TaskTableError) -> TaskTable {
        try TaskTable(baseRateHz: baseRateHz, tasks: [
            TaskSpec(name: "sensors+estimator", rateHz: baseRateHz, budgetUs: 1500),
            TaskSpec(name: "attitude+outputs", rateHz: baseRateHz, budgetUs: 600),
            TaskSpec(name: "guidance+tecs", rateHz: 50, budgetUs: 500),
            TaskSpec(name: "mission", rateHz: 10, budgetUs: 500),
        ])
    }

    public private(set) var settings: AirframeSettings
    public let baseRateHz: Int
    public let autoArm: Bool
    /// Build the mission in line when navigation gets its origin; false: it is built elsewhere and installed.
    public let preparesMission: Bool
    public private(set) var filter: NavigationFilter
    /// The board's drivers behind the stack: only the stack's tasks touch them (observers read the values below).
    private let sensors: SensorHub
    private let outputs: OutputStage
    public private(set) var executor: NavigationExecutor
    public private(set) var attitude: FixedWingAttitudeControl
    public private(set) var tecs: TECS
    public private(set) var launchDetector: LaunchDetector
    /// The mission's mode machine. The tasks work on it in place (`slot.withMachine`); this getter copies all of it
    /// (its logs and plan: more than the rest of a tick costs), so it is for readers off the real-time path. Read
    /// `mode` for the mode.
    public var machine: FlightModeMachine<VehicleNonceSource>? { slot.machine }
    private let slot = ModeMachineSlot()
    /// The machine's mode as of its last write-back (`.disarmed` without one).
    public private(set) var mode: FlightMode = .disarmed
    public private(set) var sequencer: PlanSequencer?
    public let missionSetup: MissionSetup
    /// The last ground-station contact (link heartbeat or scripted operator), for the link-loss failsafe.
    public var lastGroundContactUs: UInt64?
    /// UTC from the GPS receiver's time, carried on the vehicle clock: the approval gate's time base.
    public private(set) var utcClock = UTCClock()
    /// The receiver's latest solution, as the drivers parsed it (what the ground link reports as GPS).
    public private(set) var lastGPSFix: GPSFix?
    /// Battery voltage from a power monitor; NaN when the board has none.
    public var batteryVoltageV = Double.nan
    public private(set) var command = NavigationCommand.none
    public private(set) var setpoint = NavigationSetpoint.idle
    public private(set) var pitchSetpointRad = 0.0
    public private(set) var throttleSetpoint = 0.0
    public private(set) var actuatorCommands = ActuatorCommands.neutral
    public private(set) var navigation = NavigationState()
    /// Filtered true airspeed from the pitot, m/s (0 until the first sample).
    public private(set) var airspeedMps = 0.0
    public private(set) var lastReachedItem: Int?
    /// What the last tick did (`publishOutput`): the one value observers read.
    public private(set) var output = TickOutput()
    /// How far into the mode machine's logs the published events go.
    private var transitionsPublished = 0
    private var gateRecordsPublished: UInt64 = 0
    /// The gate can have changed since the last publication (it changes only in the mission task, an operator
    /// command or a mission change), so its report is built again; otherwise the last one stands.
    private var gateReportStale = true
    /// The plan item at whose arrival the plan last asked for the terminal phase (`askOnArrivalIfDue`).
    private var terminalAskedAtItem: Int?
    /// Why the mission could not be set up (plan, fence or gate configuration), if it could not.
    public var missionError: String? { preparationError?.description }
    private var preparationError: MissionPreparationError?
    private var missionFile: MissionFile?
    private var missionSource: String
    private var airspeedFilter: LowPassFilter
    private var latestIMU: IMUSample?
    private var forwardAcceleration = ForwardAccelerationMean()
    private var pressurePa = 101_325.0
    /// The control and guidance tasks' real periods (tick timestamps), for their integrators.
    public private(set) var controlPeriod: MeasuredPeriod
    public private(set) var guidancePeriod = MeasuredPeriod(rateHz: 50)

    /// - Parameters:
    ///   - mission: the decoded mission file; its plan is validated against home (the navigation origin) at arming.
    ///   - autoArm: arm by itself once navigation is ready and the switch is in ARM (SITL and bench runs).
    ///   - preparesMission: build the mission in line when navigation gets its origin (false: `installMission`).
    public init(settings: AirframeSettings, devices: BoardDevices, mission: MissionFile?, missionSource: String = "",
                missionSetup: MissionSetup, autoArm: Bool, preparesMission: Bool = true) throws(OutputSetupError) {
        self.settings = settings
        self.preparesMission = preparesMission
        self.missionSetup = missionSetup
        baseRateHz = Int(devices.board.realtime.baseRateHz.rounded())
        controlPeriod = MeasuredPeriod(rateHz: devices.board.realtime.baseRateHz)
        self.autoArm = autoArm
        filter = NavigationFilter(config: settings.estimation)
        sensors = SensorHub(devices: devices, gpsLatencyS: settings.flight.gpsLatencyS,
                            baroRateHz: settings.flight.baroRateHz)
        outputs = try OutputStage(mixer: settings.control.mixer, devices: devices)
        executor = NavigationExecutor(config: settings.guidance, flight: settings.flight)
        let c = settings.control
        attitude = FixedWingAttitudeControl(attitude: c.attitude, rates: c.rates, airspeed: c.airspeed)
        tecs = TECS(config: c.tecs, airspeed: c.airspeed)
        launchDetector = LaunchDetector(thresholdMps2: settings.flight.launchDetectAccelMps2,
                                        holdS: settings.flight.launchDetectTimeS)
        airspeedFilter = LowPassFilter(cutoffHz: settings.flight.airspeedFilterHz,
                                       sampleRateHz: devices.board.realtime.baseRateHz)
        missionFile = mission
        self.missionSource = missionSource
    }

    /// Takes new airframe settings (parameters set from the ground). Only while disarmed: gains are not swapped
    /// under a flying controller. Control, guidance and launch settings apply at once (their loops restart from
    /// rest); estimator and sensor-pipeline settings need a restart, since the running filter and drivers were
    /// built with the old ones. Returns a refusal, or nil with `restartNeeded` telling which case it was.
    public mutating func retune(_ new: AirframeSettings) -> (refusal: CommandRefusal?, restartNeeded: Bool) {
        guard mode == .disarmed else { return (.parameterChangeWhileArmed, false) }
        guard new.control.mixer == settings.control.mixer else { return (.mixerFromAirframeFileOnly, false) }
        let restartNeeded = new.estimation != settings.estimation || new.flight.gpsLatencyS != settings.flight.gpsLatencyS
            || new.flight.baroRateHz != settings.flight.baroRateHz
            || new.flight.airspeedFilterHz != settings.flight.airspeedFilterHz
        let c = new.control
        attitude = FixedWingAttitudeControl(attitude: c.attitude, rates: c.rates, airspeed: c.airspeed)
        tecs = TECS(config: c.tecs, airspeed: c.airspeed)
        executor = NavigationExecutor(config: new.guidance, flight: new.flight)
        launchDetector = LaunchDetector(thresholdMps2: new.flight.launchDetectAccelMps2,
                                        holdS: new.flight.launchDetectTimeS)
        // What needs a restart keeps running on the old values until then.
        var applied = new
        applied.estimation = settings.estimation
        applied.flight.gpsLatencyS = settings.flight.gpsLatencyS
        applied.flight.baroRateHz = settings.flight.baroRateHz
        applied.flight.airspeedFilterHz = settings.flight.airspeedFilterHz
        settings = applied
        return (nil, restartNeeded)
    }

    /// Replaces the mission with one uploaded from the ground, building it in line (SITL; `kestrel fly` builds
    /// off the real-time thread and calls `installMission`). Only while disarmed; built against home now when
    /// navigation has one (else when it gets one, like a mission file), so its gate starts idle. Throws when the
    /// plan does not fit home, naming the item and field.
    public mutating func replaceMission(_ file: MissionFile, source: String)
        throws(MissionPreparationError) -> CommandRefusal?
    {
        guard mode == .disarmed else { return .missionChangeWhileArmed }
        var next = PreparedMission(file: file, source: source)
        if let origin = navigation.origin {
            next = prepareMission(file, source: source, home: origin)
            if let error = next.error { throw error }
        }
        return installMission(&next)
    }

    /// Clears the mission (MISSION_CLEAR_ALL), while disarmed: the vehicle then refuses to arm until a new one
    /// is uploaded.
    public mutating func clearMission() -> CommandRefusal? {
        gateReportStale = true
        var none = PreparedMission.none
        return installMission(&none)
    }

    /// Makes `incoming` the mission, while disarmed; nothing is built or checked here (real-time safe). The mission
    /// it replaces is swapped into `incoming`, so the caller releases it (off the real-time thread in `kestrel fly`).
    /// A built machine takes the vehicle's heading now as its launch heading.
    public mutating func installMission(_ incoming: inout PreparedMission) -> CommandRefusal? {
        gateReportStale = true
        guard mode == .disarmed else { return .missionChangeWhileArmed }
        swap(&missionFile, &incoming.file)
        swap(&missionSource, &incoming.source)
        slot.swap(with: &incoming.machine)
        swap(&sequencer, &incoming.sequencer)
        swap(&preparationError, &incoming.error)
        let headingRad = navigation.euler.yawRad
        mode = slot.withMachine { m in
            m.setLaunchHeading(headingRad)
            return m.mode
        } ?? .disarmed
        lastReachedItem = nil
        terminalAskedAtItem = nil
        return nil
    }

    /// Builds `file` against `home` with this vehicle's guidance settings and mission setup (allocates: never on
    /// the real-time thread in `kestrel fly`).
    public func prepareMission(_ file: MissionFile, source: String, home: Geodetic) -> PreparedMission {
        PreparedMission.prepare(file: file, source: source, home: home, guidance: settings.guidance,
                                setup: missionSetup, launchHeadingRad: navigation.euler.yawRad)
    }

    /// Makes plan item `index` the current one (MISSION_SET_CURRENT): in mission mode the vehicle flies to it
    /// from where it is; in other modes the plan continues there when the mission resumes.
    public mutating func setCurrentMissionItem(_ index: Int) -> Bool {
        guard var s = sequencer, index >= 0, index < s.plan.items.count else { return false }
        let resumed = s.resume(atItem: index, positionNEDM: navigation.positionNEDM)
        sequencer = s
        // Reaching the item again is news to the ground station (MISSION_ITEM_REACHED is sent on a change).
        lastReachedItem = nil
        if mode == .mission { command = resumed }
        return true
    }

    /// The latest sensor poll (what the sensor task fed the filter), its time and the number of polls so far.
    public var lastPoll: SensorPoll { sensors.lastPoll }
    public var lastPollUs: UInt64 { sensors.lastPollUs }
    /// Sensor read failures, IMU FIFO samples read, dropped and overflows, barometer repeats skipped.
    public var sensorCounters: SensorReadCounters { sensors.counters }
    public var outputCounts: OutputCounts {
        OutputCounts(writeFailures: outputs.writeFailures, reconfigurations: outputs.reconfigurations)
    }
    public var pollCount: UInt64 { sensors.pollCount }
    /// The pulse widths the last control task wrote, per mixer channel.
    public var outputPulses: OutputPulses { outputs.lastPulses }
    /// Pulses reach the servos: the switch is in ARM and the software is armed.
    public var outputsLive: Bool { outputs.isLive }

    /// A magnetometer sample from a source without a driver on the board (the simulated magnetometer in SITL).
    public func deliver(magnetometer sample: MagSample) { sensors.deliver(magnetometer: sample) }

    /// Every output to its safe pulse (the daemon's last act when the loop ends).
    public func setOutputsSafe() { outputs.disarm() }

    public var inFlight: Bool { mode != .disarmed && mode != .standby }

    public mutating func run(taskIndex: Int, nowUs: UInt64) {
        switch Task(rawValue: taskIndex) {
        case .sensors: runSensors(nowUs: nowUs)
        case .control: runControl(nowUs: nowUs)
        case .guidance: runGuidance(nowUs: nowUs)
        case .mission: runMission(nowUs: nowUs)
        case nil: break
        }
    }

    // MARK: Tasks

    mutating func runSensors(nowUs: UInt64) {
        let poll = sensors.poll(nowUs: nowUs)
        if let imu = poll.imu {
            filter.predict(imu: imu)
            latestIMU = imu
            forwardAcceleration.add(imu, navigation: navigation)
            if mode == .standby { launchDetector.update(imu) }
        }
        if let baro = poll.baro {
            filter.fuse(baro: baro)
            pressurePa = baro.pressurePa
        }
        if let pitot = poll.airspeed {
            filter.fuse(airspeed: pitot)
            let density = PitotStatic.densityKgpm3(pressurePa: pressurePa, temperatureC: pitot.temperatureC)
            airspeedFilter.apply(PitotStatic.trueAirspeedMps(differentialPressurePa: pitot.differentialPressurePa,
                                                             densityKgpm3: density))
        }
        if let fix = poll.gps {
            filter.fuse(gps: fix)
            lastGPSFix = fix
            if let utc = fix.utcUnixUs { utcClock.synchronise(vehicleUs: fix.timestampUs, utcUnixUs: utc) }
        }
        if let mag = poll.mag { filter.fuse(mag: mag) }
        if let battery = poll.battery { batteryVoltageV = battery.voltageV }
        filter.writeState(into: &navigation)
        airspeedMps = airspeedFilter.value
    }

    mutating func runControl(nowUs: UInt64) {
        let dtS = controlPeriod.update(nowUs: nowUs)
        outputs.updateSwitch(nowUs: nowUs, inFlight: inFlight)
        // The switch to SAFE cuts the outputs (SafetyGatedOutputs: on the ground at once, in flight once held); the
        // mode follows on the mission tick.
        guard inFlight else {
            actuatorCommands = .neutral
            outputs.write(actuatorCommands)
            return
        }
        // No IMU sample for `attitudeLostAfterUs`: the attitude and rates the loops would close on are frozen at their
        // last values, and a loop held on a frozen error drives its surface to the stop (a 3 s IMU dropout rolled
        // the vehicle past 120° and into the ground before this). Surfaces at neutral and the motor off let the
        // airframe's own stability glide it until the IMU returns; the controllers are not updated meanwhile, so
        // their integrators (the trim) resume where they were.
        guard let imuUs = latestIMU?.timestampUs, nowUs <= imuUs &+ Self.attitudeLostAfterUs else {
            actuatorCommands = .neutral
            outputs.write(actuatorCommands)
            return
        }
        let state = AttitudeControlState(
            rollRad: navigation.euler.rollRad, pitchRad: navigation.euler.pitchRad,
            bodyRatesFRDRadps: navigation.angularRateFRDRadps, airspeedMps: airspeedMps,
            lateralSpecificForceMps2: latestIMU.map { $0.accelFRDMps2.y - navigation.accelBiasFRDMps2.y } ?? 0)
        actuatorCommands = attitude.update(rollSetpointRad: setpoint.rollSetpointRad,
                                           pitchSetpointRad: pitchSetpointRad, throttle: throttleSetpoint,
                                           state: state, dtS: dtS, inFlight: true)
        outputs.write(actuatorCommands)
    }

    /// How long the IMU may be silent before the attitude loops stop (`runControl`): twice the health report's
    /// IMU timeout, so one late read on a loaded machine (a 52 ms HIL gap was seen over loopback) flies through.
    public static let attitudeLostAfterUs: UInt64 = 2 * SensorSuite.imuTimeoutUs

    mutating func runGuidance(nowUs: UInt64) {
        let guidanceDtS = guidancePeriod.update(nowUs: nowUs)
        guard inFlight else { return }
        let n = navigation
        let guidanceState = GuidanceState(positionNEDM: n.positionNEDM, velocityNEDMps: n.velocityNEDMps,
                                          windNEDMps: n.windNEDMps, airspeedMps: airspeedMps)
        setpoint = executor.step(command: command, state: guidanceState, dtS: guidanceDtS)
        let output = tecs.update(
            TECSInput(heightSetpointM: setpoint.heightSetpointM, airspeedSetpointMps: setpoint.airspeedSetpointMps,
                      heightM: n.heightAboveOriginM, heightRateMps: -n.velocityNEDMps.z, airspeedMps: airspeedMps,
                      forwardAccelerationMps2: forwardAcceleration.takeMean()),
            dtS: guidanceDtS, inFlight: setpoint.pitchOverrideRad == nil)
        pitchSetpointRad = setpoint.pitchOverrideRad ?? output.pitchSetpointRad
        throttleSetpoint = setpoint.throttleOverride ?? output.throttle
    }

    mutating func runMission(nowUs: UInt64) {
        var health = NavigationHealth()
        filter.writeHealth(into: &health)
        output.health = health
        gateReportStale = true
        if !slot.isInstalled {
            guard preparesMission, preparationError == nil, let file = missionFile, navigation.phase == .navigating,
                  let origin = navigation.origin else { return }
            var prepared = prepareMission(file, source: missionSource, home: origin)
            _ = installMission(&prepared)
        }
        _ = slot.withMachine { m in runMission(&m, nowUs: nowUs) }
    }

    /// The mission task's work on the machine, in place.
    private mutating func runMission(_ m: inout FlightModeMachine<VehicleNonceSource>, nowUs: UInt64) {
        if m.mode == .standby, outputs.gated.gate.switchPosition != .arm {
            m.handle(.disarm, inputs: modeInputs(nowUs: nowUs), nowUs: nowUs)
        }
        if m.mode == .disarmed, autoArm, m.handle(.arm, inputs: modeInputs(nowUs: nowUs), nowUs: nowUs) == nil {
            _ = outputsFollow(&m, nowUs: nowUs)
        }
        // The plan advances only while it is being flown.
        if (m.mode == .launch || m.mode == .mission), var s = sequencer {
            let step = s.update(progress: executor.progress, nowUs: nowUs)
            sequencer = s
            if let reached = step.reachedItem { lastReachedItem = reached }
        }
        let before = m.mode
        m.update(inputs: modeInputs(nowUs: nowUs), nowUs: nowUs)
        if before == .standby, m.mode == .launch, var s = sequencer {
            _ = s.start(launchHeadingRad: navigation.euler.yawRad, positionNEDM: navigation.positionNEDM)
            sequencer = s
            attitude.reset()
            tecs.reset()
            m.update(inputs: modeInputs(nowUs: nowUs), nowUs: nowUs)
        }
        askOnArrivalIfDue(&m, nowUs: nowUs)
        _ = outputsFollow(&m, nowUs: nowUs)
        command = m.navigation
        mode = m.mode
    }

    /// The plan's own request for the terminal phase (`MissionPlan.requestsTerminalOnArrival`): asked once on each
    /// arrival at a plan item whose orbit is over the designation, as soon as the orbit is captured. A request the
    /// gate refuses, or that expires unanswered, is not asked again on that arrival; the operator can ask.
    private mutating func askOnArrivalIfDue(_ m: inout FlightModeMachine<VehicleNonceSource>, nowUs: UInt64) {
        guard m.plan.requestsTerminalOnArrival, m.mode == .mission, let item = sequencer?.currentIndex else { return }
        if let asked = terminalAskedAtItem, asked != item { terminalAskedAtItem = nil }
        let inputs = modeInputs(nowUs: nowUs)
        guard terminalAskedAtItem == nil, m.isLoiteringOverDesignation(inputs: inputs) else { return }
        terminalAskedAtItem = item
        m.handle(.requestTerminal, inputs: inputs, nowUs: nowUs)
    }

    /// An operator command (ground link or scripted operator). Returns why it was refused, or nil when accepted.
    @discardableResult
    public mutating func handle(_ operatorCommand: OperatorCommand, nowUs: UInt64) -> CommandRefusal? {
        gateReportStale = true
        if let handled = slot.withMachine({ m in handle(operatorCommand, machine: &m, nowUs: nowUs) }) {
            return handled
        }
        if missionFile == nil { return .noMissionLoaded }
        guard preparationError == nil else { return .arming(.noValidMission) }
        // On the ground with a mission that waits only for its origin, the vehicle is already bound for it:
        // a switch to the mission is the no-op the machine makes of it once built, not a refusal.
        if case .startMission = operatorCommand { return nil }
        return .noNavigationOrigin
    }

    private mutating func handle(_ operatorCommand: OperatorCommand, machine m: inout FlightModeMachine<VehicleNonceSource>,
                                 nowUs: UInt64) -> CommandRefusal? {
        let modeBefore = m.mode
        let refusal = m.handle(operatorCommand, inputs: modeInputs(nowUs: nowUs), nowUs: nowUs)
        // The plan resumes (its leg starting where the vehicle is) only when the command took the vehicle back into
        // the mission: a start accepted as a no-op (already flying the plan, or bound for it) leaves the leg, a
        // loiter's turns and its timer as they are, and a refused one changes nothing.
        if case .startMission = operatorCommand, refusal == nil, modeBefore != .mission, m.mode == .mission,
           var s = sequencer {
            _ = s.resume(atItem: s.currentIndex, positionNEDM: navigation.positionNEDM)
            sequencer = s
        }
        let outputsFollowed = outputsFollow(&m, nowUs: nowUs)
        command = m.navigation
        mode = m.mode
        return outputsFollowed ? refusal : .outputsNotArmed
    }

    /// The one place the output gate's software arm follows the mode machine, whose mode is the arming state of
    /// record: armed with it, disarmed with it. Returns false when the gate would not arm (the safety switch went to
    /// SAFE), after disarming the machine again, so the two never disagree.
    private mutating func outputsFollow(_ m: inout FlightModeMachine<VehicleNonceSource>, nowUs: UInt64) -> Bool {
        let softwareArmed = outputs.gated.gate.softwareArmed
        if m.isArmed, !softwareArmed {
            guard outputs.arm() else {
                m.handle(.disarm, inputs: modeInputs(nowUs: nowUs), nowUs: nowUs)
                return false
            }
            launchDetector.reset()
        } else if !m.isArmed, softwareArmed {
            disarmOutputs()
        }
        return true
    }

    /// What the mode machine sees of the vehicle now. Mutating only so that `self` is passed by address: as a
    /// non-mutating method, each call copied the whole stack (45 kB) and the filter (17 kB) first, four to six times
    /// a mission tick (Swift 6.3 copies a value it borrows from memory it cannot prove unchanged during the call).
    /// It changes nothing.
    private mutating func modeInputs(nowUs: UInt64) -> ModeInputs {
        var health = NavigationHealth()
        filter.writeHealth(into: &health)
        var approachPhase: ApproachGeometry.Phase?
        if case .terminalApproach(let g) = command {
            approachPhase = g.phase(positionNEDM: navigation.positionNEDM)
        }
        // Without a magnetometer the heading is aligned from the GPS course once the catapult has thrown the
        // vehicle; on the launcher a levelled, GPS-aided filter is as good as it gets, and enough to arm.
        let onLauncher = mode == .disarmed || mode == .standby || mode == .launch
        let headingFromCourse = !settings.estimation.useMagnetometer && navigation.phase == .navigating
        let validity = NavigationValidity(
            filterAttitudeValid: health.attitudeValid || (onLauncher && headingFromCourse),
            filterPositionValid: health.positionValid, lastIMUSampleUs: latestIMU?.timestampUs, nowUs: nowUs)
        return ModeInputs(
            positionNEDM: navigation.positionNEDM,
            attitudeValid: validity.attitudeValid,
            positionValid: validity.positionValid, gpsHealthy: health.gps.condition != .failed,
            armSwitchInArm: outputs.gated.gate.switchPosition == .arm, lastGroundContactUs: lastGroundContactUs,
            batteryVoltageV: batteryVoltageV, launchDetected: launchDetector.hasLaunched,
            missionCommand: sequencer?.command ?? .none, missionComplete: sequencer?.isComplete ?? false,
            loiterCaptured: executor.progress.loiterCaptured, approachPhase: approachPhase,
            utcTimeUs: utcClock.utcUs(atVehicleUs: nowUs), launch: launchCheck)
    }

    /// The launch airspeed the arming check compares with the minimum (nil: the airframe names no launcher).
    private var launchCheck: LaunchAirspeedCheck? {
        guard settings.flight.launcherSpeedMps > 0 else { return nil }
        return LaunchAirspeedCheck(launcherSpeedMps: settings.flight.launcherSpeedMps,
                                   headwindMps: settings.flight.launchHeadwindMps,
                                   minimumAirspeedMps: settings.control.airspeed.minMps)
    }

    // MARK: Output

    /// Fills `output` with what the tick that ran at `nowUs` did (called after the tick's tasks, before anything
    /// reads it: `FlightTasks.afterTick` in flight and in SITL). Events raised between ticks (operator commands)
    /// are published with the next tick. Allocation-free.
    public mutating func publishOutput(nowUs: UInt64) {
        output.timeUs = nowUs
        sensors.publish(into: &output)
        output.sensorsWorking = SensorSuite.working(fitted: output.sensorsFitted, lastIMUSampleUs: latestIMU?.timestampUs,
                                                    health: output.health, nowUs: nowUs)
        output.gpsFix = lastGPSFix
        output.batteryVoltageV = batteryVoltageV
        output.utcTimeUs = utcClock.utcUs(atVehicleUs: nowUs)
        output.navigation = navigation
        output.airspeedMps = airspeedMps
        output.mode = mode
        output.command = command
        output.progress = executor.progress
        output.currentMissionItem = sequencer?.currentIndex ?? 0
        output.lastReachedItem = lastReachedItem
        output.planComplete = sequencer?.isComplete ?? false
        output.setpoint = setpoint
        output.pitchSetpointRad = pitchSetpointRad
        output.throttleSetpoint = throttleSetpoint
        output.tecs = tecs.status
        output.actuators = actuatorCommands
        outputs.publish(into: &output)
        let stale = gateReportStale
        gateReportStale = false
        // In place: the machine is neither copied nor moved (16 kB, mostly its logs). Borrowed instead of inout,
        // the machine was copied twice a tick (26 kB): the compiler copies a large value it borrows from memory
        // it cannot prove unchanged during the call.
        let gateNowUs = slot.withMachine { m in
            Self.publish(&m, into: &output, gateReport: stale, transitionsPublished: &transitionsPublished,
                         gateRecordsPublished: &gateRecordsPublished)
        }
        if gateNowUs == nil {
            output.home = nil
            if stale { output.gate = GateReport() }
            output.events.removeAll()
            transitionsPublished = 0
            gateRecordsPublished = 0
        }
        // The gate's own clock, so requests are judged and stamped in the base their expiry is in; the
        // GPS-disciplined clock until the gate has seen a time, 0 while the vehicle has no UTC at all.
        let gateClockUs = gateNowUs ?? 0
        output.gate.clockUs = gateClockUs > 0 ? gateClockUs : utcClock.utcUs(atVehicleUs: nowUs) ?? 0
    }

    /// The machine's part of the tick's output: home, the gate report when stale, and the transitions and gate
    /// records logged since the last publication (a new mission's machine starts its logs at 0 again). Returns
    /// the gate's clock. `m` is inout only to be passed by address; nothing in it changes.
    private static func publish(_ m: inout FlightModeMachine<VehicleNonceSource>, into output: inout TickOutput,
                                gateReport: Bool, transitionsPublished: inout Int,
                                gateRecordsPublished: inout UInt64) -> UInt64 {
        output.home = m.plan.home
        if gateReport {
            var g = GateReport(gate: m.gate, pending: m.pendingRequest)
            g.designation = m.plan.designation.map { $0.position.geodetic(home: m.plan.home) }
            output.gate = g
        }
        output.events.removeAll()
        let transitionTotal = m.transitions.totalCount
        let gateTotal = m.gate.log.totalRecorded
        if transitionTotal < transitionsPublished { transitionsPublished = 0 }
        if gateTotal < gateRecordsPublished { gateRecordsPublished = 0 }
        guard transitionTotal > transitionsPublished || gateTotal > gateRecordsPublished else { return m.gate.nowUs }
        let retained = m.transitions.retainedCount
        for number in max(transitionsPublished, transitionTotal - retained)..<transitionTotal {
            if let t = m.transitions.transition(number: number) { output.events.append(t) }
        }
        transitionsPublished = transitionTotal
        let kept = UInt64(m.gate.log.count)
        for number in max(gateRecordsPublished, gateTotal - kept)..<gateTotal {
            if let r = m.gate.log.record(number: number) { output.events.append(r) }
        }
        gateRecordsPublished = gateTotal
        return m.gate.nowUs
    }

    // MARK: Helpers

    private mutating func disarmOutputs() {
        outputs.disarm()
        command = .none
        setpoint = .idle
    }
}
