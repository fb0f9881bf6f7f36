import Atomics
import Board
import Control
import DeviceIO
import FlightMath
import LockFree
import MAVLink
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The link side of a HIL board, run on its own thread (`run`): receives the simulator's MAVLink frames, passes
/// HIL_SENSOR and HIL_GPS through the `HILSensorIntake`, hands what it accepts to the real-time thread on lock-free
/// rings (`HILBench` drains them before each sensor read), and answers each batch of sensor frames with
/// HIL_ACTUATOR_CONTROLS built from the newest pulses the real-time thread handed back. HIL_STATE_QUATERNION
/// (the simulator's truth) is counted and kept for the report, never given to the flight stack. BATTERY_STATUS (the
/// simulator's pack: first cell-voltage slot as the whole pack in mV, `current_battery` in cA) feeds the board's
/// battery monitor chip, as the pack would on a rig.
///
/// Buffers and rings are allocated in `init`; a pass of `service` does not allocate.
public final class HILBoardLink: @unchecked Sendable {
    public let sensorFrames: SPSCValueRing<HILSensorFrame>
    public let gpsFrames: SPSCValueRing<HILGPSFrame>
    public let outputFrames: SPSCValueRing<HILOutputFrame>
    public let batteryFrames: SPSCValueRing<BatterySample>
    public let transport: any LinkTransport
    /// Read after `run` returned (or from the thread that calls `service`).
    public private(set) var intake = HILSensorIntake()
    public private(set) var truthFrames: UInt64 = 0
    public private(set) var batteryAccepted: UInt64 = 0
    /// BATTERY_STATUS without a pack voltage (65535: unknown) or beyond the monitor's 0…36 V bus range.
    public private(set) var batteryRefused: UInt64 = 0
    public private(set) var lastTruth: HilStateQuaternion?
    public private(set) var actuatorFramesSent: UInt64 = 0
    /// Frames of other messages (ignored).
    public private(set) var otherFrames: UInt64 = 0
    /// Called on the link thread with each truth frame and the board time it arrived (a truth log); set before the
    /// thread starts.
    public var truthHandler: ((HilStateQuaternion, UInt64) -> Void)?

    private let parser = FrameParser()
    private var encoder: FrameEncoder
    private var functions = InlineArray<16, OutputFunction>(repeating: .none)
    private var latestOutput = HILOutputFrame()
    private var latestSensorSimUs: UInt64 = 0
    private var lastGPS: HILGPSFrame?
    private var noFixSent = false
    private let receiveBuffer: UnsafeMutableRawBufferPointer
    private let sendBuffer: UnsafeMutableRawBufferPointer
    private let running = ManagedAtomic<Bool>(true)

    public init(transport: any LinkTransport, board: BoardConfig, systemID: UInt8 = 1) throws(SPSCValueRingError) {
        self.transport = transport
        // 400 Hz sensor frames; the real-time thread drains every 2.5 ms, so 64 hold a 160 ms stall.
        sensorFrames = try SPSCValueRing(capacity: 64)
        gpsFrames = try SPSCValueRing(capacity: 8)
        outputFrames = try SPSCValueRing(capacity: 16)
        batteryFrames = try SPSCValueRing(capacity: 8)
        encoder = FrameEncoder(systemID: systemID, componentID: 1)
        for (index, channel) in board.pwm.channels.prefix(HILActuatorScaling.maxChannels).enumerated() {
            functions[index] = channel.function
        }
        receiveBuffer = .allocate(byteCount: 2048, alignment: 8)
        sendBuffer = .allocate(byteCount: 512, alignment: 8)
    }

    deinit {
        receiveBuffer.deallocate()
        sendBuffer.deallocate()
    }

    /// Services the link until `stop`, polling every `periodUs`; says when the simulator's sensor stream stops and
    /// resumes (this thread may allocate; the real-time thread never sees it).
    public func run(clock: any MonotonicClock, periodUs: UInt32 = 500, log: (String) -> Void = { _ in }) {
        var wasLive = false
        while running.load(ordering: .acquiring) {
            let now = clock.nowUs()
            service(nowUs: now)
            let live = intake.sensorsLive(atUs: now)
            if live != wasLive {
                log(live ? "fly: HIL sensor frames arriving (HIL_SENSOR from the simulator)"
                         : "fly: HIL sensor frames stopped: none accepted for \(HILSensorIntake.sensorTimeoutUs / 1000) "
                           + "ms (gap \(intake.counters.sensorGaps), \(intake.counters.refusedStale) stale so far); "
                           + "the emulated sensors go silent")
                wasLive = live
            }
            usleep(periodUs)
        }
    }

    public func stop() { running.store(false, ordering: .releasing) }

    /// One pass: every waiting datagram, the GPS timeout, and the actuator reply when sensor frames came in.
    public func service(nowUs: UInt64) {
        var sensorsAccepted = false
        while true {
            let count = transport.receive(into: receiveBuffer, nowUs: nowUs)
            guard count > 0 else { break }
            var valid = false
            parser.parse(UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count])) { frame in
                valid = true
                switch frame.messageID {
                case HilSensor.messageID:
                    guard let m = frame.decode(HilSensor.self) else { return }
                    if case .success(let f) = intake.accept(m, receivedAtUs: nowUs) {
                        sensorFrames.push(f)
                        latestSensorSimUs = f.simTimeUs
                        sensorsAccepted = true
                    }
                case HilGPS.messageID:
                    guard let m = frame.decode(HilGPS.self) else { return }
                    if case .success(let g) = intake.accept(m, receivedAtUs: nowUs) {
                        gpsFrames.push(g)
                        lastGPS = g
                        noFixSent = false
                    }
                case BatteryStatus.messageID:
                    guard let m = frame.decode(BatteryStatus.self) else { return }
                    if let sample = Self.battery(m, receivedAtUs: nowUs) {
                        batteryFrames.push(sample)
                        batteryAccepted &+= 1
                    } else {
                        batteryRefused &+= 1
                    }
                case HilStateQuaternion.messageID:
                    guard let truth = frame.decode(HilStateQuaternion.self) else { return }
                    lastTruth = truth
                    truthFrames &+= 1
                    truthHandler?(truth, nowUs)
                default:
                    otherFrames &+= 1
                }
            }
            transport.finishedDatagram(heldValidFrame: valid, nowUs: nowUs)
        }
        _ = intake.sensorsLive(atUs: nowUs)
        // A receiver without its signal reports no fix rather than repeating the last position.
        if !intake.gpsLive(atUs: nowUs), var g = lastGPS, !noFixSent {
            g.fixType = .none
            g.satellitesUsed = 0
            if gpsFrames.push(g) { noFixSent = true }
        }
        if let out = outputFrames.popLatest() { latestOutput = out }
        if sensorsAccepted { sendActuatorControls(nowUs: nowUs) }
    }

    /// The pack as BATTERY_STATUS reports it, or nil when it gives no usable voltage. An unknown current (−1) is
    /// read as none.
    static func battery(_ m: BatteryStatus, receivedAtUs: UInt64) -> BatterySample? {
        let millivolts = m.voltages[0]
        guard millivolts != .max, millivolts <= 36_000 else { return nil }
        let currentA = m.currentBattery == -1 ? 0 : Double(m.currentBattery) * 0.01
        return BatterySample(timestampUs: receivedAtUs, voltageV: Double(millivolts) * 1e-3, currentA: currentA)
    }

    private func sendActuatorControls(nowUs: UInt64) {
        var controls = MAVArray<16, Float>(repeating: 0)
        for index in 0..<latestOutput.channelCount {
            controls[index] = HILActuatorScaling.control(pulseUs: latestOutput.pulseUs[index],
                                                          function: functions[index])
        }
        var mode: MAVModeFlag = .hilEnabled
        if latestOutput.armed { mode.insert(.safetyArmed) }
        // time_usec echoes the newest sensor frame's simulator time, so the simulator sees the round trip.
        let message = HilActuatorControls(timeUsec: latestSensorSimUs, controls: controls, mode: mode,
                                          flags: HilActuatorControlsFlags(rawValue: 0))
        guard let length = try? encoder.encode(message, into: sendBuffer) else { return }
        transport.send(frame: UnsafeRawBufferPointer(rebasing: sendBuffer[0..<length]), nowUs: nowUs)
        actuatorFramesSent &+= 1
    }

    /// A few lines for the daemon's stop report.
    public var reportText: String {
        let c = intake.counters
        var text = "HIL link \(transport.name): \(c.sensorAccepted) HIL_SENSOR and \(c.gpsAccepted) HIL_GPS accepted, "
            + "\(truthFrames) HIL_STATE_QUATERNION (truth, logged only), \(batteryAccepted) BATTERY_STATUS (\(batteryRefused) "
            + "without a usable voltage), \(actuatorFramesSent) HIL_ACTUATOR_CONTROLS sent\n"
        text += "  refused: \(c.refusedNonFinite) NaN/inf, \(c.refusedOutOfRange) out of range, "
            + "\(c.refusedNonMonotonic) non-monotonic time_usec, \(c.refusedMissingFields) missing fields, "
            + "\(c.refusedStale) stale (> \(HILSensorIntake.staleFrameUs / 1000) ms late); "
            + "\(c.resets) simulator resets\n"
        text += "  sensor gaps > \(HILSensorIntake.sensorTimeoutUs / 1000) ms: \(c.sensorGaps); GPS gaps > "
            + "\(HILSensorIntake.gpsTimeoutUs / 1000) ms: \(c.gpsGaps); longest sensor interval "
            + "\(c.maxSensorIntervalUs / 1000) ms; \(c.lateSensorFrames) frames late by > "
            + "\(HILSensorIntake.lateFrameUs / 1000) ms (latest \(c.maxSensorLatenessUs / 1000) ms); "
            + "ring overflows: sensor \(sensorFrames.overflows), "
            + "GPS \(gpsFrames.overflows), outputs \(outputFrames.overflows)\n"
        if let t = lastTruth {
            text += "  last truth: lat \(Double(t.lat) * 1e-7)°, lon \(Double(t.lon) * 1e-7)°, alt "
                + "\(Double(t.alt) / 1000) m\n"
        }
        return text
    }
}
