import Board
import Control
import DeviceIO
import FlightMath
import HILBoard
import MAVLink
import Simulation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `kestrel sim SCENARIO --hil-serve ENDPOINT`: the simulator side of a HIL rig. Kestrel's plant and sensor models
/// run paced to the wall clock, one plant step (1/400 s) at a time; every IMU sample goes out as HIL_SENSOR (with the
/// barometer, pitot and magnetometer bits of the samples taken since the last frame), every GPS solution as
/// HIL_GPS, and the truth as HIL_STATE_QUATERNION at `truthRateHz`. The newest HIL_ACTUATOR_CONTROLS the board sent
/// drives the plant's servos and ESC through the board file's channel functions (`HILActuatorScaling`), until a
/// newer one arrives; before the first, every channel holds its board-file safe pulse. The airframe rests on the
/// catapult until `launchDelayUs` after the controls first say armed (MAV_MODE_FLAG_SAFETY_ARMED), as a launch crew
/// fires once the operator has armed.
public final class HILServe {
    public private(set) var vehicle: SimulatedVehicle
    public let board: BoardConfig
    public let launchDelayUs: UInt64
    public static let truthRateHz = 10.0
    /// Steps a stalled process catches up at once before it skips plant time instead.
    public static let maxCatchUpSteps = 40

    public struct Counters: Sendable {
        public var steps: UInt64 = 0
        public var sensorFramesSent: UInt64 = 0
        public var gpsFramesSent: UInt64 = 0
        public var truthFramesSent: UInt64 = 0
        public var batteryFramesSent: UInt64 = 0
        public var controlsReceived: UInt64 = 0
        /// Plant time skipped because the process fell behind the wall clock.
        public var skippedUs: UInt64 = 0
        /// Round trip on the wall clock: from sending the HIL_SENSOR a HIL_ACTUATOR_CONTROLS echoes (its time_usec)
        /// to receiving that answer, µs (newest, largest).
        public var lastRoundTripUs: UInt64 = 0
        public var maxRoundTripUs: UInt64 = 0
        public var maxHeightM = 0.0
    }

    public private(set) var counters = Counters()
    public private(set) var launchedAtUs: UInt64?
    public private(set) var armed = false

    private let transport: any LinkTransport
    private let linkage: ServoLinkage
    private let catapult: Catapult
    private var functions: [OutputFunction]
    private var pulsesUs: [Double]
    private var firedAtUs = UInt64.max
    private var pending: SensorUpdates = []
    private var encoder = FrameEncoder(systemID: 250, componentID: 1)
    private let parser = FrameParser()
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
    private let sendBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)
    private var nextTruthUs: UInt64 = 0
    /// The wall clock at plant time zero (plant time t went out at `originUs + t`).
    private var originUs: UInt64 = 0

    public init(scenario: ClosedLoopScenario, transport: any LinkTransport, seed: UInt64? = nil,
                launchDelayS: Double) throws(ClosedLoopScenarioError) {
        guard launchDelayS.isFinite, launchDelayS >= 0, launchDelayS <= 3600 else {
            throw .setup(file: scenario.prepared.scenarioPath,
                         reason: "launch delay must be 0…3600 s, got \(launchDelayS)")
        }
        do { vehicle = try scenario.prepared.makeVehicle(seed: seed) } catch { throw .scenario(error) }
        board = scenario.board
        linkage = try scenario.servoLinkage(board: board)
        self.transport = transport
        launchDelayUs = UInt64((launchDelayS * 1e6).rounded())
        catapult = scenario.catapult
        vehicle.reset(state: catapult.railStart)
        functions = board.pwm.channels.prefix(HILActuatorScaling.maxChannels).map(\.function)
        // No command yet: every output at the pulse the board file calls safe (surfaces neutral, motor off).
        pulsesUs = board.pwm.channels.prefix(HILActuatorScaling.maxChannels).map { Double($0.safeUs) }
    }

    deinit {
        receiveBuffer.deallocate()
        sendBuffer.deallocate()
    }

    /// Runs paced to `clock` until plant time `durationUs` or until `shouldStop` says so; `status` gets a line every
    /// `statusEveryUs` of plant time; `afterSteps` runs after each batch of plant steps with the wall clock's time
    /// (the scenario's operator, `HILOperator`).
    public func run(clock: any MonotonicClock, durationUs: UInt64, statusEveryUs: UInt64 = 5_000_000,
                    shouldStop: () -> Bool = { false }, status: (String) -> Void = { _ in },
                    afterSteps: (_ wallUs: UInt64) -> Void = { _ in }) {
        originUs = clock.nowUs()
        var nextStatusUs = statusEveryUs
        while vehicle.timeUs < durationUs, !shouldStop() {
            let now = clock.nowUs()
            receive(nowUs: now)
            var steps = 0
            while originUs &+ vehicle.timeUs &+ vehicle.stepUs <= now {
                guard steps < Self.maxCatchUpSteps else {
                    let behind = (now - originUs - vehicle.timeUs) / vehicle.stepUs * vehicle.stepUs
                    originUs &+= behind
                    counters.skippedUs &+= behind
                    break
                }
                step(nowUs: now)
                steps += 1
            }
            afterSteps(now)
            if vehicle.timeUs >= nextStatusUs {
                nextStatusUs += statusEveryUs
                status(statusLine)
            }
            let wakeUs = originUs &+ vehicle.timeUs &+ vehicle.stepUs
            let nowAfter = clock.nowUs()
            if wakeUs > nowAfter { usleep(UInt32(min(wakeUs - nowAfter, 100_000))) }
        }
    }

    public var statusLine: String {
        let s = vehicle.state
        return "hil-serve: t \(Self.f1(vehicle.timeS)) s, height \(Self.f1(-s.positionNEDM.z)) m, airspeed "
            + "\(Self.f1(vehicle.airspeedMps)) m/s, \(armed ? "armed" : "disarmed"), "
            + (launchedAtUs.map { "launched at \(Self.f1(Double($0) * 1e-6)) s" } ?? "on the catapult")
            + ", \(counters.controlsReceived) HIL_ACTUATOR_CONTROLS received, round trip "
            + "\(Self.f1(Double(counters.lastRoundTripUs) / 1000)) ms"
    }

    public var summary: String {
        let c = counters
        return statusLine + "\n"
            + "hil-serve: \(c.steps) plant steps, sent \(c.sensorFramesSent) HIL_SENSOR, \(c.gpsFramesSent) HIL_GPS, "
            + "\(c.truthFramesSent) HIL_STATE_QUATERNION, \(c.batteryFramesSent) BATTERY_STATUS; max height \(Self.f1(c.maxHeightM)) m; round trip max "
            + "\(Self.f1(Double(c.maxRoundTripUs) / 1000)) ms; plant time skipped \(c.skippedUs / 1000) ms; "
            + "link \(transport.name): \(transport.counters.framesDropped) frames dropped\n"
    }

    static func f1(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// Takes every waiting HIL_ACTUATOR_CONTROLS; the newest one's pulses stand.
    func receive(nowUs: UInt64) {
        while true {
            let count = transport.receive(into: receiveBuffer, nowUs: nowUs)
            guard count > 0 else { return }
            var valid = false
            parser.parse(UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count])) { frame in
                valid = true
                guard frame.messageID == HilActuatorControls.messageID,
                      let m = frame.decode(HilActuatorControls.self) else { return }
                apply(m, nowUs: nowUs)
            }
            transport.finishedDatagram(heldValidFrame: valid, nowUs: nowUs)
        }
    }

    func apply(_ m: HilActuatorControls, nowUs: UInt64) {
        counters.controlsReceived &+= 1
        for index in functions.indices {
            pulsesUs[index] = HILActuatorScaling.pulseUs(control: m.controls[index], function: functions[index])
        }
        if m.timeUsec <= vehicle.timeUs, nowUs >= originUs &+ m.timeUsec {
            counters.lastRoundTripUs = nowUs - (originUs &+ m.timeUsec)
            counters.maxRoundTripUs = max(counters.maxRoundTripUs, counters.lastRoundTripUs)
        }
        let nowArmed = m.mode.contains(.safetyArmed)
        if nowArmed != armed, launchedAtUs == nil {
            firedAtUs = nowArmed ? vehicle.timeUs &+ launchDelayUs : .max
        }
        armed = nowArmed
    }

    func step(nowUs: UInt64) {
        let pulses = pulsesUs
        let controls = linkage.controls { index in index < pulses.count ? pulses[index] : 0 }
        let updates = catapult.step(&vehicle, controls: controls, firedAtUs: firedAtUs)
        counters.steps &+= 1
        if launchedAtUs == nil, firedAtUs != .max, vehicle.timeUs >= firedAtUs { launchedAtUs = firedAtUs }
        counters.maxHeightM = max(counters.maxHeightM, -vehicle.state.positionNEDM.z)
        pending.formUnion(updates)
        let r = vehicle.readings
        if updates.contains(.imu), let imu = r.imu {
            sendSensor(imu: imu, readings: r)
            pending = []
        }
        if updates.contains(.gps), let fix = r.gps { sendGPS(fix) }
        if vehicle.timeUs >= nextTruthUs {
            nextTruthUs = vehicle.timeUs &+ UInt64(1e6 / Self.truthRateHz)
            sendTruth()
            sendBattery()
        }
        _ = nowUs
    }

    private func sendSensor(imu: IMUSample, readings r: SensorReadings) {
        var m = HilSensor(timeUsec: vehicle.timeUs,
                          xacc: Float(imu.accelFRDMps2.x), yacc: Float(imu.accelFRDMps2.y),
                          zacc: Float(imu.accelFRDMps2.z), xgyro: Float(imu.gyroFRDRadps.x),
                          ygyro: Float(imu.gyroFRDRadps.y), zgyro: Float(imu.gyroFRDRadps.z),
                          temperature: Float(imu.temperatureC))
        var flags: UInt32 = 0x3F | HilSensorUpdatedFlags.hilSensorUpdatedTemperature.rawValue
        if pending.contains(.baro), let baro = r.baro {
            m.absPressure = Float(baro.pressurePa / 100)
            m.temperature = Float(baro.temperatureC)
            flags |= HilSensorUpdatedFlags.hilSensorUpdatedAbsPressure.rawValue
        }
        if pending.contains(.airspeed), let airspeed = r.airspeed {
            m.diffPressure = Float(airspeed.differentialPressurePa / 100)
            flags |= HilSensorUpdatedFlags.hilSensorUpdatedDiffPressure.rawValue
        }
        if pending.contains(.mag), let mag = r.mag {
            m.xmag = Float(mag.fieldFRDGauss.x); m.ymag = Float(mag.fieldFRDGauss.y); m.zmag = Float(mag.fieldFRDGauss.z)
            flags |= 0x1C0
        }
        m.fieldsUpdated = HilSensorUpdatedFlags(rawValue: flags)
        send(m)
        counters.sensorFramesSent &+= 1
    }

    private func sendGPS(_ fix: GPSFix) {
        func cm(_ m: Double) -> UInt16 { m.isFinite ? UInt16(min(max(m * 100, 0), 65_534).rounded()) : .max }
        func cms(_ v: Double) -> Int16 { Int16(min(max(v * 100, -32_767), 32_767).rounded()) }
        let v = fix.velocityNEDMps
        let groundSpeed = (v.x * v.x + v.y * v.y).squareRoot()
        var course = Angle.degrees(fromRadians: atan2(v.y, v.x))
        if course < 0 { course += 360 }
        let m = HilGPS(
            timeUsec: vehicle.timeUs,
            fixType: fix.fixType == .fix3D ? 3 : fix.fixType == .fix2D ? 2 : 1,
            lat: Int32((fix.position.latitudeDeg * 1e7).rounded()), lon: Int32((fix.position.longitudeDeg * 1e7).rounded()),
            alt: Int32((fix.position.altitudeM * 1000).rounded()), eph: cm(fix.horizontalAccuracyM),
            epv: cm(fix.verticalAccuracyM), vel: cm(groundSpeed), vn: cms(v.x), ve: cms(v.y), vd: cms(v.z),
            cog: UInt16(min((course * 100).rounded(), 35_999)), satellitesVisible: UInt8(clamping: fix.satellitesUsed))
        send(m)
        counters.gpsFramesSent &+= 1
    }

    private func sendTruth() {
        let s = vehicle.state
        let p = vehicle.geodeticPosition
        func cms(_ v: Double) -> Int16 { Int16(min(max(v * 100, -32_767), 32_767).rounded()) }
        let speed = UInt16(min(max(vehicle.airspeedMps * 100, 0), 65_534).rounded())
        let m = HilStateQuaternion(
            timeUsec: vehicle.timeUs,
            attitudeQuaternion: MAVArray([Float(s.attitude.w), Float(s.attitude.x), Float(s.attitude.y),
                                          Float(s.attitude.z)]),
            rollspeed: Float(s.bodyRateFRDRadps.x), pitchspeed: Float(s.bodyRateFRDRadps.y),
            yawspeed: Float(s.bodyRateFRDRadps.z),
            lat: Int32((p.latitudeDeg * 1e7).rounded()), lon: Int32((p.longitudeDeg * 1e7).rounded()),
            alt: Int32((p.altitudeM * 1000).rounded()), vx: cms(s.velocityNEDMps.x), vy: cms(s.velocityNEDMps.y),
            vz: cms(s.velocityNEDMps.z), indAirspeed: speed, trueAirspeed: speed)
        send(m)
        counters.truthFramesSent &+= 1
    }

    /// The plant's pack for the board's battery monitor, at the truth rate: the pack voltage in the first cell slot
    /// (as a monitor without cell taps reports it), the current, the charge left.
    private func sendBattery() {
        let t = vehicle.truth
        var voltages = MAVArray<10, UInt16>(repeating: .max)
        voltages[0] = UInt16(min(max(t.batteryVoltageV * 1000, 0), 65_534).rounded())
        send(BatteryStatus(
            batteryFunction: .all, type: .lipo, temperature: .max, voltages: voltages,
            currentBattery: Int16(min(max(t.batteryCurrentA * 100, -32_767), 32_767).rounded()),
            currentConsumed: -1, energyConsumed: -1,
            batteryRemaining: Int8((t.batteryStateOfCharge * 100).rounded().clamped(to: 0...100)),
            voltagesExt: MAVArray(repeating: 0)))
        counters.batteryFramesSent &+= 1
    }

    private func send<M: MAVLinkMessage>(_ m: M) {
        guard let length = try? encoder.encode(m, into: sendBuffer) else { return }
        transport.send(frame: UnsafeRawBufferPointer(rebasing: sendBuffer[0..<length]), nowUs: 0)
    }
}
