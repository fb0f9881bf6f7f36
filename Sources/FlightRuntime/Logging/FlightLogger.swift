import Estimation
import FlightLog
import FlightMath
import Guidance
import Mission
import Vehicle

/// Where a run's flight log goes and what it says about the vehicle.
public struct FlightLoggerSetup: Sendable {
    public var directory: String
    public var softwareVersion: String
    public var vehicleId: String
    public var board: String
    public var airframe: String
    /// Names the file `kestrel_<UTC start>.ulg`; the wall clock at start (SITL has no GPS time of its own).
    public var startUnixSeconds: Int64
    public var maxLogCount: Int
    /// Every airframe tunable, logged as parameters under the names the ground link uses (and exactly, as the
    /// `kestrel_parameters_exact` info), so `kestrel log replay` can re-run the filter from the log alone.
    public var parameters: AirframeParameters?
    /// Cap on all logs in the directory together (oldest deleted first), nil = count cap only.
    public var maxTotalBytes: Int? = nil

    public init(directory: String, softwareVersion: String, vehicleId: String, board: String, airframe: String,
                startUnixSeconds: Int64, maxLogCount: Int = 20, parameters: AirframeParameters? = nil) {
        self.directory = directory; self.softwareVersion = softwareVersion; self.vehicleId = vehicleId
        self.board = board; self.airframe = airframe; self.startUnixSeconds = startUnixSeconds
        self.maxLogCount = maxLogCount; self.parameters = parameters
    }
}

/// Writes a flight stack's state to a ULog with PX4 topic names, sampled at fixed rates on the vehicle clock:
///
/// | topic | rate |
/// |---|---|
/// | sensor_combined, vehicle_air_data, differential_pressure, airspeed, vehicle_gps_position, sensor_mag | every sample the navigation filter consumed (IMU 400 Hz), from `SensorHub.lastPoll` |
/// | vehicle_attitude, vehicle_local_position | 50 Hz |
/// | vehicle_global_position, vehicle_attitude_setpoint, tecs_status, actuator_outputs, estimator_innovations, wind, vehicle_status, position_setpoint_triplet | 10 Hz |
/// | vehicle_status (and a text message) on every mode transition; kestrel_gate_event on every request, approval, wave-off and rejection | as they happen |
/// | kestrel_sensor_counters (sensor read failures, IMU FIFO and barometer counts, polls the log missed) | 1 Hz |
/// | vehicle_attitude_groundtruth, vehicle_global_position_groundtruth, vehicle_angular_velocity_groundtruth (a simulator's truth, SITL 50 Hz, HIL as sent) | `logTruth`, from the log side |
///
/// `vehicle_status.nav_state` carries Kestrel's `FlightMode` raw value (0 disarmed … 6 terminal, 7 wave-off,
/// see `FlightMode`), not PX4's navigation states: Kestrel's modes have no one-to-one PX4 counterparts.
///
/// The sensor topics hold the samples in the order `FlightStack` fed them to the filter (per poll: IMU, baro, pitot,
/// GPS, magnetometer); each record's `timestamp` is the poll time and `timestamp_sample` the sample's own time, so `LogReplay` can
/// feed them again in the same order. `record` must run after every sensors tick for that (a skipped poll is
/// counted in `sensorPollsMissed` and reported in the log).
///
/// Records go through the same producer ring and session as on a board; here the log side (`pump`) runs between
/// ticks on the caller's thread, so a SITL log is written exactly as a flight log would be.
public final class FlightLogger {
    public let path: String
    let session: ULogSession
    let producer: ULogProducer
    let ring: SPSCRecordRing
    /// `kestrel_timing` (the real-time loop's report, see FlightLogger+LogThread.swift).
    let timingTopic: ULogTopicHandle<KestrelTiming>
    /// False when a log thread moves records to the file (`kestrel fly`); `record` then only samples.
    public var pumpsOnRecord = true
    private let attitudeTopic: ULogTopicHandle<VehicleAttitude>
    private let localTopic: ULogTopicHandle<VehicleLocalPosition>
    private let globalTopic: ULogTopicHandle<VehicleGlobalPosition>
    private let statusTopic: ULogTopicHandle<VehicleStatus>
    private let outputsTopic: ULogTopicHandle<ActuatorOutputs>
    private let setpointTopic: ULogTopicHandle<VehicleAttitudeSetpoint>
    private let tecsTopic: ULogTopicHandle<FlightLog.TECSStatus>
    private let innovationsTopic: ULogTopicHandle<EstimatorInnovations>
    private let windTopic: ULogTopicHandle<FlightLog.Wind>
    private let gateTopic: ULogTopicHandle<KestrelGateEvent>
    private let imuTopic: ULogTopicHandle<SensorCombined>
    private let airDataTopic: ULogTopicHandle<VehicleAirData>
    private let pitotTopic: ULogTopicHandle<DifferentialPressure>
    private let airspeedTopic: ULogTopicHandle<FlightLog.Airspeed>
    private let gpsTopic: ULogTopicHandle<VehicleGPSPosition>
    private let magTopic: ULogTopicHandle<SensorMag>
    private let tripletTopic: ULogTopicHandle<PositionSetpointTriplet>
    private let countersTopic: ULogTopicHandle<KestrelSensorCounters>
    /// The simulator's truth has a ring of its own: the log side is its only producer (`logTruth`).
    let truthRing: SPSCRecordRing
    private let truthProducer: ULogProducer
    private let truthAttitudeTopic: ULogTopicHandle<VehicleAttitudeGroundtruth>
    private let truthPositionTopic: ULogTopicHandle<VehicleGlobalPositionGroundtruth>
    private let truthRateTopic: ULogTopicHandle<VehicleAngularVelocityGroundtruth>
    private var pollsSeen: UInt64 = 0
    /// The safety switch's in-flight hold as last logged.
    private var switchHeldSinceUs: UInt64?
    private var switchCutsAfterHold: UInt32 = 0
    private var lastIMUUs: UInt64?
    private var lastPressurePa = 101_325.0
    /// Sensor polls that happened between two `record` calls and so are not in the log (replay cannot be exact).
    public private(set) var sensorPollsMissed: UInt64 = 0
    private let fastPeriodUs: UInt64 = 20_000
    private let slowPeriodUs: UInt64 = 100_000
    private let countersPeriodUs: UInt64 = 1_000_000
    private var nextFastUs: UInt64
    private var nextSlowUs: UInt64
    private var nextCountersUs: UInt64
    private var armedTimeUs: UInt64 = 0
    private var lastUs: UInt64
    /// The first write error; logging stops there and the flight goes on.
    public private(set) var failure: String?
    public var stats: ULogSessionStats { session.stats }

    public init(setup: FlightLoggerSetup, startUs: UInt64) throws {
        var registry = ULogTopicRegistry()
        attitudeTopic = try registry.register(VehicleAttitude.self)
        localTopic = try registry.register(VehicleLocalPosition.self)
        globalTopic = try registry.register(VehicleGlobalPosition.self)
        statusTopic = try registry.register(VehicleStatus.self)
        outputsTopic = try registry.register(ActuatorOutputs.self)
        setpointTopic = try registry.register(VehicleAttitudeSetpoint.self)
        tecsTopic = try registry.register(FlightLog.TECSStatus.self)
        innovationsTopic = try registry.register(EstimatorInnovations.self)
        windTopic = try registry.register(FlightLog.Wind.self)
        gateTopic = try registry.register(KestrelGateEvent.self)
        timingTopic = try registry.register(KestrelTiming.self)
        imuTopic = try registry.register(SensorCombined.self)
        airDataTopic = try registry.register(VehicleAirData.self)
        pitotTopic = try registry.register(DifferentialPressure.self)
        airspeedTopic = try registry.register(FlightLog.Airspeed.self)
        gpsTopic = try registry.register(VehicleGPSPosition.self)
        magTopic = try registry.register(SensorMag.self)
        tripletTopic = try registry.register(PositionSetpointTriplet.self)
        countersTopic = try registry.register(KestrelSensorCounters.self)
        truthAttitudeTopic = try registry.register(VehicleAttitudeGroundtruth.self)
        truthPositionTopic = try registry.register(VehicleGlobalPositionGroundtruth.self)
        truthRateTopic = try registry.register(VehicleAngularVelocityGroundtruth.self)
        var info = ULogDefinitions.kestrelInfo(softwareVersion: setup.softwareVersion, vehicleId: setup.vehicleId,
                                               board: setup.board, airframe: setup.airframe)
        // Tells readers (Tools/flight-report) that vehicle_status.nav_state holds Kestrel's FlightMode.
        info.append(("kestrel_nav_state", .string("flight_mode")))
        var parameters: [(name: String, value: ULogParameterValue)] = []
        if let p = setup.parameters {
            parameters = p.logParameters
            info.append((AirframeParameters.exactValuesInfoKey, .string(p.exactValuesText)))
        }
        let definitions = ULogDefinitions(startTimestampUs: startUs, info: info, parameters: parameters,
                                          registry: registry)
        // Text messages (mode transitions) are the largest records; 512 bytes holds any of them.
        ring = try SPSCRecordRing(slotCount: 1024, recordCapacityBytes: max(512, registry.largestDataMessageBytes))
        producer = ULogProducer(ring: ring)
        truthRing = try SPSCRecordRing(slotCount: 256, recordCapacityBytes: registry.largestDataMessageBytes)
        truthProducer = ULogProducer(ring: truthRing)
        session = try ULogSession(
            configuration: FlightLogConfiguration(directory: setup.directory, maxLogCount: setup.maxLogCount,
                                                  maxTotalBytes: setup.maxTotalBytes),
            naming: .dated(utcSeconds: setup.startUnixSeconds), definitions: definitions, rings: [ring, truthRing])
        path = session.path
        nextFastUs = startUs
        nextSlowUs = startUs
        nextCountersUs = startUs
        lastUs = startUs
    }

    /// Samples what is due in one tick's output (call after every flight-stack tick, with the output it published)
    /// and moves queued records to the file ten times a second.
    public func record(_ output: TickOutput) {
        guard failure == nil else { return }
        let nowUs = output.timeUs
        lastUs = nowUs
        logSensors(output)
        logEvents(output)
        if nowUs >= nextFastUs {
            nextFastUs = nowUs + fastPeriodUs - (nowUs - nextFastUs) % fastPeriodUs
            logAttitude(output, nowUs: nowUs)
            logLocalPosition(output, nowUs: nowUs)
        }
        if nowUs >= nextSlowUs {
            nextSlowUs = nowUs + slowPeriodUs - (nowUs - nextSlowUs) % slowPeriodUs
            logStatus(output.mode, nowUs: nowUs)
            logGlobalPosition(output, nowUs: nowUs)
            logSetpoints(output, nowUs: nowUs)
            logOutputs(output, nowUs: nowUs)
            logInnovations(output, nowUs: nowUs)
            logTriplet(output, nowUs: nowUs)
            if nowUs >= nextCountersUs {
                nextCountersUs = nowUs + countersPeriodUs - (nowUs - nextCountersUs) % countersPeriodUs
                logCounters(output.sensorCounters, nowUs: nowUs)
            }
            if pumpsOnRecord { pump(nowUs: nowUs) }
        }
    }

    private func logCounters(_ c: SensorReadCounters, nowUs: UInt64) {
        var k = KestrelSensorCounters()
        k.timestampUs = nowUs
        k.imuFailures = c.imuFailures
        k.baroFailures = c.baroFailures
        k.airspeedFailures = c.airspeedFailures
        k.gpsFailures = c.gpsFailures
        k.gpsFixes = c.gpsFixes
        k.imuSamplesRead = c.imuSamplesRead
        k.imuEmptyPolls = c.imuEmptyPolls
        k.imuFIFOOverflows = c.imuFIFOOverflows
        k.imuSamplesDropped = c.imuSamplesDropped
        k.baroRepeats = c.baroRepeats
        k.logPollsMissed = sensorPollsMissed
        producer.log(k, to: countersTopic)
    }

    /// Writes what is queued and closes the file.
    public func finish() {
        guard failure == nil else { return }
        do { try session.finish(nowUs: lastUs) } catch { failure = "\(path): \(error)" }
    }

    private func pump(nowUs: UInt64) {
        do { try session.pump(nowUs: nowUs) } catch { failure = "\(path): \(error)" }
    }

    /// The log side only (the truth ring's one producer): one truth sample as the three groundtruth topics.
    public func logTruth(_ t: TruthSample) {
        truthProducer.log(VehicleAttitudeGroundtruth(timestampUs: t.timeUs, attitude: t.attitude), to: truthAttitudeTopic)
        truthProducer.log(VehicleGlobalPositionGroundtruth(timestampUs: t.timeUs, position: t.position),
                          to: truthPositionTopic)
        truthProducer.log(VehicleAngularVelocityGroundtruth(timestampUs: t.timeUs, rateFRDRadps: t.bodyRateFRDRadps),
                          to: truthRateTopic)
    }

    // MARK: Topics

    private func logAttitude(_ output: TickOutput, nowUs: UInt64) {
        producer.log(NavigationTopics.attitude(output.navigation, nowUs: nowUs), to: attitudeTopic)
    }

    private func logLocalPosition(_ output: TickOutput, nowUs: UInt64) {
        producer.log(NavigationTopics.localPosition(output.navigation, nowUs: nowUs), to: localTopic)
    }

    private func logGlobalPosition(_ output: TickOutput, nowUs: UInt64) {
        guard let g = NavigationTopics.globalPosition(output.navigation, nowUs: nowUs) else { return }
        producer.log(g, to: globalTopic)
    }

    // MARK: Sensors

    /// The samples of the hub's latest poll, unless already logged.
    private func logSensors(_ output: TickOutput) {
        let count = output.pollCount
        guard count > pollsSeen else { return }
        if count > pollsSeen &+ 1 {
            let missed = count - pollsSeen - 1
            sensorPollsMissed &+= missed
            var text = FixedText("sensor log: ")
            text.append(missed)
            text.append(" polls missed before ")
            text.append(output.pollUs)
            text.append(" us")
            producer.log(.warning, text, timestampUs: output.pollUs)
        }
        pollsSeen = count
        logSensors(output.poll, pollUs: output.pollUs)
    }

    /// Logs one poll's samples (what `FlightStack.runSensors` fed the filter), stamped with the poll time. For a
    /// caller that takes the poll off the real-time thread itself; `record` already does this from the output.
    public func logSensors(_ poll: SensorPoll, pollUs: UInt64) {
        guard failure == nil else { return }
        if let imu = poll.imu {
            // PX4's integral dt: the interval this sample covers, 0 for the first sample of the log.
            let dtUs = lastIMUUs.map { imu.timestampUs >= $0 ? imu.timestampUs - $0 : 0 } ?? 0
            lastIMUUs = imu.timestampUs
            var s = SensorCombined(imu, integralDtUs: UInt32(clamping: dtUs))
            s.accelerometerTimestampRelativeUs = 0
            producer.log(s, to: imuTopic)
        }
        if let baro = poll.baro {
            lastPressurePa = baro.pressurePa
            producer.log(VehicleAirData(timestampUs: pollUs, baro: baro), to: airDataTopic)
        }
        if let pitot = poll.airspeed {
            producer.log(DifferentialPressure(timestampUs: pollUs, pitot: pitot), to: pitotTopic)
            producer.log(Self.airspeed(pitot, staticPressurePa: lastPressurePa, nowUs: pollUs), to: airspeedTopic)
        }
        if let fix = poll.gps {
            producer.log(VehicleGPSPosition(timestampUs: pollUs, fix: fix, geoidHeightM: 0), to: gpsTopic)
        }
        if let mag = poll.mag {
            producer.log(SensorMag(timestampUs: pollUs, mag: mag), to: magTopic)
        }
    }

    /// Indicated airspeed (sea-level density) and true airspeed (density from static pressure and the pitot's
    /// temperature, as `FlightStack` computes it) of one pitot sample.
    static func airspeed(_ pitot: AirspeedSample, staticPressurePa: Double, nowUs: UInt64) -> FlightLog.Airspeed {
        let q = max(pitot.differentialPressurePa, 0)
        let density = PitotStatic.densityKgpm3(pressurePa: staticPressurePa, temperatureC: pitot.temperatureC)
        var a = FlightLog.Airspeed()
        a.timestampUs = nowUs
        a.timestampSampleUs = pitot.timestampUs
        a.indicatedAirspeedMps = Float((2 * q / 1.225).squareRoot())
        a.trueAirspeedMps = Float(PitotStatic.trueAirspeedMps(differentialPressurePa: q, densityKgpm3: density))
        a.airTemperatureC = Float(pitot.temperatureC)
        a.confidence = 1
        return a
    }

    private func logStatus(_ mode: FlightMode, nowUs: UInt64) {
        var st = VehicleStatus()
        st.timestampUs = nowUs
        let armed = mode != .disarmed
        if armed, armedTimeUs == 0 { armedTimeUs = nowUs }
        if !armed { armedTimeUs = 0 }
        st.armingState = (armed ? VehicleStatus.ArmingState.armed : .disarmed).rawValue
        st.armedTimeUs = armedTimeUs
        st.navState = mode.rawValue
        st.navStateUserIntention = mode.rawValue
        producer.log(st, to: statusTopic)
    }

    private func logSetpoints(_ output: TickOutput, nowUs: UInt64) {
        let n = output.navigation
        var sp = VehicleAttitudeSetpoint()
        sp.timestampUs = nowUs
        sp.rollBodyRad = Float(output.setpoint.rollSetpointRad)
        sp.pitchBodyRad = Float(output.pitchSetpointRad)
        // A fixed wing does not command yaw; the current heading keeps the quaternion meaningful.
        sp.yawBodyRad = Float(n.euler.yawRad)
        let qd = Quaternion(euler: EulerAngles(rollRad: output.setpoint.rollSetpointRad,
                                               pitchRad: output.pitchSetpointRad, yawRad: n.euler.yawRad))
        sp.qDesired = SIMD4(Float(qd.w), Float(qd.x), Float(qd.y), Float(qd.z))
        sp.thrustBody = SIMD3(Float(output.throttleSetpoint), 0, 0)
        producer.log(sp, to: setpointTopic)

        let t = output.tecs
        let originM = n.origin?.altitudeM ?? 0
        var ts = FlightLog.TECSStatus()
        ts.timestampUs = nowUs
        ts.altitudeSetpointM = Float(originM + output.setpoint.heightSetpointM)
        ts.altitudeReferenceM = Float(originM + output.setpoint.heightSetpointM)
        ts.heightRateSetpointMps = Float(t.heightRateSetpointMps)
        ts.heightRateMps = Float(t.heightRateMps)
        ts.equivalentAirspeedSetpointMps = Float(output.setpoint.airspeedSetpointMps)
        ts.trueAirspeedSetpointMps = Float(output.setpoint.airspeedSetpointMps)
        ts.trueAirspeedFilteredMps = Float(output.airspeedMps)
        ts.trueAirspeedDerivativeSetpointMps2 = Float(t.airspeedRateSetpointMps2)
        ts.trueAirspeedDerivativeMps2 = Float(t.airspeedRateMps2)
        ts.totalEnergyRateSetpoint = Float(t.totalEnergyRateSetpointMps)
        ts.totalEnergyRate = Float(t.totalEnergyRateMps)
        ts.totalEnergyBalanceRateSetpoint = Float(t.balanceRateSetpointMps)
        ts.totalEnergyBalanceRate = Float(t.balanceRateMps)
        ts.throttleIntegrator = Float(t.throttleIntegrator)
        ts.pitchIntegrator = Float(t.pitchIntegratorRad)
        ts.throttleSetpoint = Float(output.throttleSetpoint)
        ts.pitchSetpointRad = Float(output.pitchSetpointRad)
        ts.underspeedRatio = Float(t.underspeedRatio)
        producer.log(ts, to: tecsTopic)
    }

    private func logOutputs(_ output: TickOutput, nowUs: UInt64) {
        let pulses = output.pulses
        var out = ActuatorOutputs()
        out.timestampUs = nowUs
        out.outputCount = UInt32(pulses.count)
        for channel in 0..<min(pulses.count, ActuatorOutputs.channelCount) {
            out.output[channel] = Float(pulses.pulseUs(channel: channel) ?? 0)
        }
        producer.log(out, to: outputsTopic)
    }

    private func logInnovations(_ output: TickOutput, nowUs: UInt64) {
        guard let h = output.health else { return }
        var inn = EstimatorInnovations()
        inn.timestampUs = nowUs
        inn.timestampSampleUs = h.gps.innovation.timestampUs
        let gpsPos = h.gps.innovation, gpsVel = h.gps.secondaryInnovation
        inn.gpsHorizontalPositionM = SIMD2(Float(gpsPos.innovation.x), Float(gpsPos.innovation.y))
        inn.gpsVerticalPositionM = Float(gpsPos.innovation.z)
        inn.gpsHorizontalVelocityMps = SIMD2(Float(gpsVel.innovation.x), Float(gpsVel.innovation.y))
        inn.gpsVerticalVelocityMps = Float(gpsVel.innovation.z)
        inn.baroVerticalPositionM = Float(h.baro.innovation.innovation.x)
        let mag = h.mag.innovation.innovation
        inn.magFieldGauss = SIMD3(Float(mag.x), Float(mag.y), Float(mag.z))
        inn.airspeedMps = Float(h.airspeed.innovation.innovation.x)
        // The filter keeps one (largest-component) test ratio per measurement; it is logged on every component.
        let pr = Float(gpsPos.testRatio), vr = Float(gpsVel.testRatio), mr = Float(h.mag.innovation.testRatio)
        inn.gpsHorizontalPositionTestRatio = SIMD2(pr, pr)
        inn.gpsVerticalPositionTestRatio = pr
        inn.gpsHorizontalVelocityTestRatio = SIMD2(vr, vr)
        inn.gpsVerticalVelocityTestRatio = vr
        inn.baroVerticalPositionTestRatio = Float(h.baro.innovation.testRatio)
        inn.magFieldTestRatio = SIMD3(mr, mr, mr)
        inn.airspeedTestRatio = Float(h.airspeed.innovation.testRatio)
        producer.log(inn, to: innovationsTopic)

        let n = output.navigation
        var wind = FlightLog.Wind()
        wind.timestampUs = nowUs
        wind.timestampSampleUs = n.timestampUs
        wind.windspeedNorthMps = Float(n.windNEDMps.x)
        wind.windspeedEastMps = Float(n.windNEDMps.y)
        wind.varianceNorthMps2 = Float(n.variances.windNEMps2.x)
        wind.varianceEastMps2 = Float(n.variances.windNEMps2.y)
        producer.log(wind, to: windTopic)
    }

    /// The navigation command as PX4's setpoint triplet: the leg's start and end, the loiter centre and radius,
    /// home for RTL, the designated point during the terminal approach. Altitudes are above the ellipsoid.
    private func logTriplet(_ output: TickOutput, nowUs: UInt64) {
        guard let origin = output.navigation.origin else { return }
        let frame = LocalFrame(origin: origin)
        func point(_ ned: Vector3, _ type: PositionSetpointTriplet.SetpointType) -> PositionSetpointTriplet.Setpoint {
            let g = frame.geodetic(ofNED: ned)
            var sp = PositionSetpointTriplet.Setpoint()
            sp.valid = true
            sp.type = type.rawValue
            sp.latitudeDeg = g.latitudeDeg
            sp.longitudeDeg = g.longitudeDeg
            sp.altitudeM = Float(g.altitudeM)
            sp.cruisingSpeedMps = Float(output.setpoint.airspeedSetpointMps)
            return sp
        }
        var t = PositionSetpointTriplet()
        t.timestampUs = nowUs
        switch output.command {
        case .none, .failsafeOrbit: return
        case .launch(_, let climbM):
            t.current = point(Vector3(output.navigation.positionNEDM.x, output.navigation.positionNEDM.y, -climbM),
                              .takeoff)
        case .waypoint(_, let from, let to, _, _):
            t.previous = point(from, .position)
            t.current = point(to, .position)
        case .loiter(_, let orbit):
            t.current = point(orbit.centerNEDM, .loiter)
            t.current.loiterRadiusM = Float(orbit.radiusM)
            t.current.loiterCounterClockwise = orbit.direction == .counterClockwise
        case .returnToLaunch(let home, let heightM):
            t.current = point(Vector3(home.x, home.y, -heightM), .position)
        case .terminalApproach(let g):
            t.previous = point(g.startNEDM, .position)
            t.current = point(g.targetNEDM, .position)
        }
        producer.log(t, to: tripletTopic)
    }

    // MARK: Events

    /// A log opened while the stack runs (the first one once the log side has it ready, then one per flight) starts
    /// at the tick it is first given: its events are those of the ticks it records, and the polls before it are
    /// not reported as missed.
    public func startAfter(_ output: TickOutput) {
        // The poll of the tick the log starts in is its first record (not counted as already seen): the filter's
        // first sample after the log's start is in the log, so log replay starts from the same input.
        pollsSeen = output.pollCount > 0 ? output.pollCount - 1 : 0
    }

    /// The tick's mode transitions (a vehicle_status and a text message each, stamped with the transition's time)
    /// and gate decisions.
    private func logEvents(_ output: TickOutput) {
        let events = output.events
        for i in 0..<events.transitionCount {
            let t = events.transition(i)
            logStatus(t.to, nowUs: t.timeUs)
            producer.log(.info, Self.transitionText(t), timestampUs: t.timeUs)
        }
        for i in 0..<events.gateRecordCount { logGateRecord(events.gateRecord(i), gate: output.gate) }
        logSafetySwitchHold(output)
        if events.lost > 0 {
            var text = FixedText("event log: ")
            text.append(events.lost)
            text.append(" events of one tick not logged")
            producer.log(.warning, text, timestampUs: output.timeUs)
        }
    }

    /// The in-flight hold of a SAFE switch: its start, and its end by a cut or by ARM again.
    private func logSafetySwitchHold(_ output: TickOutput) {
        let held = output.safetySwitchHeldSinceUs
        let cuts = output.safetySwitchCutsAfterHold
        guard held != switchHeldSinceUs || cuts != switchCutsAfterHold else { return }
        if cuts != switchCutsAfterHold {
            var text = FixedText("safety switch held in SAFE in flight")
            if let since = switchHeldSinceUs, output.timeUs >= since {
                text.append(" for ")
                text.append((output.timeUs - since) / 1000)
                text.append(" ms")
            }
            text.append(": outputs cut")
            producer.log(.critical, text, timestampUs: output.timeUs)
        } else if let since = held {
            producer.log(.warning, FixedText("safety switch reads SAFE in flight: outputs stay live unless it holds"),
                         timestampUs: since)
        } else if let since = switchHeldSinceUs {
            var text = FixedText("safety switch back to ARM after ")
            text.append(output.timeUs >= since ? (output.timeUs - since) / 1000 : 0)
            text.append(" ms in SAFE in flight: outputs kept")
            producer.log(.warning, text, timestampUs: output.timeUs)
        }
        switchHeldSinceUs = held
        switchCutsAfterHold = cuts
    }

    /// `mode <from> -> <to>: <reason>`, as the run report prints it.
    static func transitionText(_ t: ModeTransition) -> FixedText {
        var text = FixedText("mode ")
        text.append(t.from)
        text.append(" -> ")
        text.append(t.to)
        text.append(": ")
        text.append(t.reason)
        return text
    }

    /// `gate <event>: <outcome>`, then the failure, rejection, exit reason and operator key when there are any.
    static func gateText(_ r: GateLogRecord) -> FixedText {
        var text = FixedText("gate ")
        text.append(r.event)
        text.append(": ")
        text.append(r.outcome)
        if let f = r.failure { text.append(" ["); text.append(f); text.append("]") }
        if let x = r.rejection { text.append(" ("); text.append(x); text.append(")") }
        if let e = r.exitReason { text.append(" ("); text.append(e); text.append(")") }
        if r.keyID != .none { text.append(", operator key "); text.append(r.keyID) }
        return text
    }

    /// Requests, approvals, wave-offs and rejections as `kestrel_gate_event`; every other gate decision that did
    /// something (failures, exits) as a text message.
    private func logGateRecord(_ r: GateLogRecord, gate: GateReport) {
        if let event = Self.gateEvent(r) {
            var g = KestrelGateEvent()
            g.timestampUs = r.vehicleTimeUs
            g.event = event.rawValue
            g.reasonCode = r.rejection.map { UInt16($0.rawValue) + 1 } ?? 0
            g.requestSequence = r.requestSequence
            if let d = gate.designation {
                g.designationLatitudeDeg = d.latitudeDeg
                g.designationLongitudeDeg = d.longitudeDeg
                g.designationAltitudeM = Float(d.altitudeM)
            }
            for k in 0..<min(OperatorKeyID.byteCount, KestrelGateEvent.keyIdBytes) {
                g.operatorKeyId[k] = r.keyID.byte(k)
            }
            producer.log(g, to: gateTopic)
        }
        if r.event != .tick || r.outcome != .none {
            let level: ULogLogLevel = r.outcome == .rejected || r.failure != nil ? .warning : .info
            producer.log(level, Self.gateText(r), timestampUs: r.vehicleTimeUs)
        }
    }

    /// The `kestrel_gate_event` kind of a gate record, nil for records that are not a request or an operator's
    /// answer. `reason` is the `GateRejection` raw value + 1 (0 = accepted).
    static func gateEvent(_ r: GateLogRecord) -> KestrelGateEvent.Event? {
        if r.outcome == .rejected, r.event == .requestTerminal || r.event == .approval || r.event == .waveOff {
            return .rejection
        }
        switch r.event {
        case .requestTerminal: return r.outcome == .requestEmitted ? .request : nil
        case .approval: return .approval
        case .waveOff: return .waveOff
        default: return nil
        }
    }
}
