import Control
import Estimation
import FlightMath
import Guidance
import Mission

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
/// Until the flight-mode machine takes over mission decisions, the mission task runs a minimal sequence:
/// auto-arm once navigation has its origin (switch in ARM), standby on the launcher, launch on detection, then
/// the plan through `PlanSequencer`. Nothing in the task bodies allocates.
public struct FlightStack: ScheduledTasks {
    public enum Task: Int, CaseIterable, Sendable {
        case sensors = 0, control, guidance, mission
    }

    public static func taskTable(baseRateHz: Int) throws(TaskTableError) -> TaskTable {
        try TaskTable(baseRateHz: baseRateHz, tasks: [
            TaskSpec(name: "sensors+estimator", rateHz: baseRateHz, budgetUs: 800),
            TaskSpec(name: "attitude+outputs", rateHz: baseRateHz, budgetUs: 300),
            TaskSpec(name: "guidance+tecs", rateHz: 50, budgetUs: 500),
            TaskSpec(name: "mission", rateHz: 10, budgetUs: 500),
        ])
    }

    public let settings: AirframeSettings
    public let baseRateHz: Int
    public let autoArm: Bool
    public private(set) var filter: NavigationFilter
    public let sensors: SensorHub
    public let outputs: OutputStage
    public private(set) var executor: NavigationExecutor
    public private(set) var attitude: FixedWingAttitudeControl
    public private(set) var tecs: TECS
    public private(set) var launchDetector: LaunchDetector
    public private(set) var mode = FlightMode.disarmed
    public private(set) var sequencer: PlanSequencer?
    public private(set) var command = NavigationCommand.none
    public private(set) var setpoint = NavigationSetpoint.idle
    public private(set) var pitchSetpointRad = 0.0
    public private(set) var throttleSetpoint = 0.0
    public private(set) var actuatorCommands = ActuatorCommands.neutral
    public private(set) var navigation = NavigationState()
    /// Filtered true airspeed from the pitot, m/s (0 until the first sample).
    public private(set) var airspeedMps = 0.0
    public private(set) var lastReachedItem: Int?
    public private(set) var missionError: MissionFileError?
    private let missionFile: MissionFile?
    private let missionSource: String
    private var airspeedFilter: LowPassFilter
    private var latestIMU: IMUSample?
    private var pressurePa = 101_325.0
    private let controlDtS: Double
    private let guidanceDtS = 1.0 / 50

    /// - Parameters:
    ///   - mission: the decoded mission file; its plan is validated against home (the navigation origin) at arming.
    ///   - autoArm: arm by itself once navigation is ready and the switch is in ARM (SITL and bench runs).
    public init(settings: AirframeSettings, devices: BoardDevices, mission: MissionFile?, missionSource: String = "",
                autoArm: Bool) throws(OutputSetupError) {
        self.settings = settings
        baseRateHz = Int(devices.board.realtime.baseRateHz.rounded())
        controlDtS = 1 / devices.board.realtime.baseRateHz
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

    public var inFlight: Bool { mode != .disarmed && mode != .standby }

    public mutating func run(taskIndex: Int, nowUs: UInt64) {
        switch Task(rawValue: taskIndex) {
        case .sensors: runSensors(nowUs: nowUs)
        case .control: runControl()
        case .guidance: runGuidance()
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
            if mode == .standby { launchDetector.update(imu) }
        }
        if let baro = poll.baro {
            filter.fuse(baro: baro)
            pressurePa = baro.pressurePa
        }
        if let pitot = poll.airspeed {
            filter.fuse(airspeed: pitot)
            let kelvin = max(pitot.temperatureC + 273.15, 150)
            let density = pressurePa / (Self.dryAirGasConstant * kelvin)
            airspeedFilter.apply((2 * max(pitot.differentialPressurePa, 0) / density).squareRoot())
        }
        if let fix = poll.gps { filter.fuse(gps: fix) }
        navigation = filter.state
        airspeedMps = airspeedFilter.value
    }

    mutating func runControl() {
        outputs.updateSwitch()
        if mode != .disarmed && !outputs.isLive { disarm() }
        guard inFlight else {
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
                                           state: state, dtS: controlDtS, inFlight: true)
        outputs.write(actuatorCommands)
    }

    mutating func runGuidance() {
        guard inFlight else { return }
        let n = navigation
        let guidanceState = GuidanceState(positionNEDM: n.positionNEDM, velocityNEDMps: n.velocityNEDMps,
                                          windNEDMps: n.windNEDMps, airspeedMps: airspeedMps)
        setpoint = executor.step(command: command, state: guidanceState, dtS: guidanceDtS)
        let output = tecs.update(
            TECSInput(heightSetpointM: setpoint.heightSetpointM, airspeedSetpointMps: setpoint.airspeedSetpointMps,
                      heightM: n.heightAboveOriginM, heightRateMps: -n.velocityNEDMps.z, airspeedMps: airspeedMps),
            dtS: guidanceDtS, inFlight: setpoint.pitchOverrideRad == nil)
        pitchSetpointRad = setpoint.pitchOverrideRad ?? output.pitchSetpointRad
        throttleSetpoint = setpoint.throttleOverride ?? output.throttle
    }

    mutating func runMission(nowUs: UInt64) {
        switch mode {
        case .disarmed:
            guard autoArm, navigation.phase == .navigating, let origin = navigation.origin else { return }
            prepareMission(home: origin)
            guard sequencer != nil, outputs.arm() else { return }
            launchDetector.reset()
            mode = .standby
        case .standby:
            guard launchDetector.hasLaunched, var s = sequencer else { return }
            command = s.start(launchHeadingRad: navigation.euler.yawRad, positionNEDM: navigation.positionNEDM)
            sequencer = s
            attitude.reset()
            tecs.reset()
            mode = .launch
        case .launch, .mission:
            guard var s = sequencer else { return }
            let step = s.update(progress: executor.progress, nowUs: nowUs)
            sequencer = s
            if let reached = step.reachedItem {
                lastReachedItem = reached
                if mode == .launch { mode = .mission }
            }
            command = step.command
        default:
            break
        }
    }

    // MARK: Helpers

    /// Validates the plan against home once navigation has its origin (an arming-time step, not a tick).
    private mutating func prepareMission(home: Geodetic) {
        guard sequencer == nil, let missionFile else { return }
        do {
            let plan = try missionFile.plan(home: home, source: missionSource)
            let g = settings.guidance
            sequencer = PlanSequencer(plan: plan, settings: PlanSequencer.Settings(
                rtlHeightM: g.rtlAltitudeM, holdRadiusM: g.loiterRadiusM,
                turnRadiusM: g.turnRadiusM(speedMps: g.cruiseAirspeedMps)))
        } catch {
            missionError = error
        }
    }

    private mutating func disarm() {
        outputs.disarm()
        mode = .disarmed
        command = .none
        setpoint = .idle
    }

    static let dryAirGasConstant = 287.053
}
