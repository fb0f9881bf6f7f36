import FlightMath
import MAVLink

/// Which field of a HIL message a refusal names.
public enum HILField: String, Sendable, Equatable {
    case timeUsec = "time_usec", accel = "xacc/yacc/zacc", gyro = "xgyro/ygyro/zgyro", absPressure = "abs_pressure"
    case diffPressure = "diff_pressure", temperature = "temperature", fieldsUpdated = "fields_updated"
    case lat, lon, alt, eph, epv, velocity = "vn/ve/vd", fixType = "fix_type"
}

/// Why the intake refused a HIL frame. The frame is dropped and counted; nothing else happens.
public enum HILRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case nonFinite(HILField)
    case outOfRange(HILField)
    /// time_usec not after the last accepted frame's (a replay, a reordered datagram or a restarted simulator that
    /// did not set the reset bit).
    case nonMonotonicTime(lastUs: UInt64, gotUs: UInt64)
    /// fields_updated lacks bits every frame must carry (the accelerometer and gyro axes).
    case missingFields(missingMask: UInt32)
    /// The frame arrived later than the quickest recent one by more than the IMU timeout: its samples are older than
    /// the flight stack accepts from a live IMU (a simulator running slower than the wall clock, a queue building up
    /// on the link).
    case stale(latenessUs: UInt64)

    public var description: String {
        switch self {
        case .nonFinite(let f): "\(f.rawValue) is NaN or infinite"
        case .outOfRange(let f): "\(f.rawValue) is out of range"
        case let .nonMonotonicTime(last, got): "time_usec \(got) is not after the last accepted \(last)"
        case .missingFields(let mask): "fields_updated lacks required bits 0x" + String(mask, radix: 16, uppercase: true)
        case .stale(let lateness): "the frame arrived \(lateness / 1000) ms later than the quickest recent one"
        }
    }
}

/// The board side of HIL: turns HIL_SENSOR and HIL_GPS into the samples the emulated chips are fed, refusing what a
/// real chip could never report (NaN, infinities, values beyond the parts' ranges), frames whose time goes
/// backwards and sensor frames without the IMU, each with a counter; and tells when the simulator has gone quiet.
/// Pure (no I/O, no clock of its own, no allocation): the link thread runs it on every received frame.
///
/// Timeouts: the HIL sensors are live while HIL_SENSOR frames arrive at most `sensorTimeoutUs` apart (the flight
/// stack's own IMU timeout, 50 ms); after that the emulated IMU gets nothing, its FIFO runs dry and the stack sees a
/// dead IMU, as on a board whose IMU stopped. HIL_GPS silent for `gpsTimeoutUs` makes the emulated receiver report
/// no fix, as a real receiver that lost its antenna would, rather than repeat a stale position.
///
/// Lateness: with no clock shared with the simulator, a sensor frame's lateness is its (receive time − time_usec)
/// against the smallest such offset seen, which stands for the quickest transit. That baseline forgets at
/// `baselineForgetPpm` (two free-running clocks drift apart by tens of ppm, which would otherwise read as a frame
/// growing later forever), and starts again after a simulator reset or when no frame at all arrived for
/// `sensorTimeoutUs` (a simulator that paused its clock resumes on a new time base; the pause was a gap). Frames later
/// than `lateFrameUs` are counted and fed; frames later than `staleFrameUs` (the IMU timeout) are refused, so a
/// simulator that keeps falling behind the wall clock, or a link that queues, starves the emulated IMU exactly as a
/// stopped one does, and ends in the same failsafe.
public struct HILSensorIntake: Sendable {
    public static let sensorTimeoutUs: UInt64 = 50_000
    public static let gpsTimeoutUs: UInt64 = 1_000_000
    /// Bits every HIL_SENSOR must set: the three accelerometer and three gyro axes.
    public static let requiredSensorFields: UInt32 = 0x3F

    /// The parts' ranges, a little beyond what the chips report (MPU-6050 at ±16 g / ±2000 °/s, BMP280 300…1100 hPa,
    /// the airspeed sensor's ±1 psi and more).
    public static let maxAccelMps2 = 16 * 9.80665 * 1.05
    public static let maxGyroRadps = 2000 * Double.pi / 180 * 1.05
    public static let staticPressureRangeHPa = 300.0...1100.0
    public static let differentialPressureRangeHPa = -100.0...100.0
    public static let temperatureRangeC = -40.0...85.0
    public static let altitudeRangeM = -1_000.0...20_000.0
    public static let maxVelocityMps = 300.0
    public static let lateFrameUs: UInt64 = 20_000
    public static let staleFrameUs: UInt64 = sensorTimeoutUs
    /// 500 ppm: ten times a crystal's drift, and a queue that grows slower than 0.5 ms per second is not one.
    public static let baselineForgetPpm: UInt64 = 500

    public struct Counters: Sendable, Equatable {
        public var sensorAccepted: UInt64 = 0
        public var gpsAccepted: UInt64 = 0
        public var refusedNonFinite: UInt64 = 0
        public var refusedOutOfRange: UInt64 = 0
        public var refusedNonMonotonic: UInt64 = 0
        public var refusedMissingFields: UInt64 = 0
        /// Sensor frames later than `staleFrameUs` (refused).
        public var refusedStale: UInt64 = 0
        /// Simulator resets (fields_updated bit 31): the time base starts again.
        public var resets: UInt64 = 0
        /// Times HIL_SENSOR stopped for longer than `sensorTimeoutUs`.
        public var sensorGaps: UInt64 = 0
        /// Times HIL_GPS stopped for longer than `gpsTimeoutUs`.
        public var gpsGaps: UInt64 = 0
        /// Longest interval between accepted HIL_SENSOR frames (board clock), µs.
        public var maxSensorIntervalUs: UInt64 = 0
        /// HIL_SENSOR frames that arrived more than `lateFrameUs` later than the quickest one did (their transit plus
        /// any clock offset, against the smallest seen): a stalled simulator or link. Counted, still fed.
        public var lateSensorFrames: UInt64 = 0
        /// The largest such lateness, µs.
        public var maxSensorLatenessUs: UInt64 = 0
        public var refused: UInt64 {
            refusedNonFinite + refusedOutOfRange + refusedNonMonotonic + refusedMissingFields + refusedStale
        }
        public init() {}
    }

    public private(set) var counters = Counters()
    private var lastSensorSimUs: UInt64?
    private var lastGPSSimUs: UInt64?
    private var lastSensorReceivedUs: UInt64?
    /// When the last well-formed sensor frame arrived, stale or not: a gap in these restarts the lateness baseline.
    private var lastSensorFrameReceivedUs: UInt64?
    private var lastGPSReceivedUs: UInt64?
    private var sensorGapCounted = false
    /// The smallest recent (receive time − time_usec), ns (so that the forgetting keeps its fractions): clock offset
    /// plus the quickest transit.
    private var quickestOffsetNs: Int64?
    private var gpsGapCounted = false

    public init() {}

    /// Validates one HIL_SENSOR received at `receivedAtUs` (board clock).
    public mutating func accept(_ m: HilSensor, receivedAtUs: UInt64) -> Result<HILSensorFrame, HILRefusal> {
        let result = Self.convert(m, lastSimUs: lastSensorSimUs)
        switch result {
        case .success(let frame):
            let reset = m.fieldsUpdated.rawValue & HilSensorUpdatedFlags.hilSensorUpdatedReset.rawValue != 0
            if reset, lastSensorSimUs != nil { counters.resets &+= 1 }
            lastSensorSimUs = frame.simTimeUs
            let lateness = lateness(simUs: frame.simTimeUs, receivedAtUs: receivedAtUs, newTimeBase: reset)
            lastSensorFrameReceivedUs = receivedAtUs
            counters.maxSensorLatenessUs = max(counters.maxSensorLatenessUs, lateness)
            if lateness > Self.lateFrameUs { counters.lateSensorFrames &+= 1 }
            if lateness > Self.staleFrameUs {
                counters.refusedStale &+= 1
                return .failure(.stale(latenessUs: lateness))
            }
            noteSensorArrival(atUs: receivedAtUs)
            counters.sensorAccepted &+= 1
        case .failure(let refusal): count(refusal)
        }
        return result
    }

    /// Validates one HIL_GPS received at `receivedAtUs` (board clock).
    public mutating func accept(_ m: HilGPS, receivedAtUs: UInt64) -> Result<HILGPSFrame, HILRefusal> {
        let result = Self.convert(m, lastSimUs: lastGPSSimUs)
        switch result {
        case .success(let frame):
            lastGPSSimUs = frame.simTimeUs
            if let last = lastGPSReceivedUs, receivedAtUs > last &+ Self.gpsTimeoutUs, !gpsGapCounted {
                counters.gpsGaps &+= 1
            }
            lastGPSReceivedUs = receivedAtUs
            gpsGapCounted = false
            counters.gpsAccepted &+= 1
        case .failure(let refusal): count(refusal)
        }
        return result
    }

    /// Whether HIL_SENSOR frames are arriving at `nowUs`; counts each gap once, when it is first seen here or when
    /// the next frame arrives.
    public mutating func sensorsLive(atUs nowUs: UInt64) -> Bool {
        guard let last = lastSensorReceivedUs else { return false }
        let live = nowUs <= last &+ Self.sensorTimeoutUs
        if !live, !sensorGapCounted {
            sensorGapCounted = true
            counters.sensorGaps &+= 1
        }
        return live
    }

    /// Whether HIL_GPS frames are arriving at `nowUs` (false before the first); counts gaps as `sensorsLive` does.
    public mutating func gpsLive(atUs nowUs: UInt64) -> Bool {
        guard let last = lastGPSReceivedUs else { return false }
        let live = nowUs <= last &+ Self.gpsTimeoutUs
        if !live, !gpsGapCounted {
            gpsGapCounted = true
            counters.gpsGaps &+= 1
        }
        return live
    }

    private mutating func noteSensorArrival(atUs nowUs: UInt64) {
        if let last = lastSensorReceivedUs, nowUs >= last {
            let interval = nowUs - last
            counters.maxSensorIntervalUs = max(counters.maxSensorIntervalUs, interval)
            if interval > Self.sensorTimeoutUs, !sensorGapCounted { counters.sensorGaps &+= 1 }
        }
        lastSensorReceivedUs = nowUs
        sensorGapCounted = false
    }

    /// How much later than the quickest recent frame this one arrived, µs; moves the baseline (see the type's note).
    private mutating func lateness(simUs: UInt64, receivedAtUs: UInt64, newTimeBase: Bool) -> UInt64 {
        // Wrapping differences: both clocks are µs counters far below 2^63.
        let offsetNs = Int64(bitPattern: receivedAtUs &- simUs) &* 1000
        guard !newTimeBase, var quickestNs = quickestOffsetNs, let last = lastSensorFrameReceivedUs,
              receivedAtUs >= last, receivedAtUs - last <= Self.sensorTimeoutUs else {
            quickestOffsetNs = offsetNs
            return 0
        }
        quickestNs &+= Int64((receivedAtUs - last) * Self.baselineForgetPpm / 1000)
        quickestOffsetNs = min(quickestNs, offsetNs)
        return offsetNs > quickestNs ? UInt64(offsetNs - quickestNs) / 1000 : 0
    }

    private mutating func count(_ refusal: HILRefusal) {
        switch refusal {
        case .nonFinite: counters.refusedNonFinite &+= 1
        case .outOfRange: counters.refusedOutOfRange &+= 1
        case .nonMonotonicTime: counters.refusedNonMonotonic &+= 1
        case .missingFields: counters.refusedMissingFields &+= 1
        case .stale: counters.refusedStale &+= 1
        }
    }

    // MARK: Conversion (no state)

    static func convert(_ m: HilSensor, lastSimUs: UInt64?) -> Result<HILSensorFrame, HILRefusal> {
        let flags = m.fieldsUpdated.rawValue
        let missing = requiredSensorFields & ~flags
        guard missing == 0 else { return .failure(.missingFields(missingMask: missing)) }
        let reset = flags & HilSensorUpdatedFlags.hilSensorUpdatedReset.rawValue != 0
        if !reset, let last = lastSimUs, m.timeUsec <= last {
            return .failure(.nonMonotonicTime(lastUs: last, gotUs: m.timeUsec))
        }
        let accel = Vector3(Double(m.xacc), Double(m.yacc), Double(m.zacc))
        let gyro = Vector3(Double(m.xgyro), Double(m.ygyro), Double(m.zgyro))
        guard accel.x.isFinite, accel.y.isFinite, accel.z.isFinite else { return .failure(.nonFinite(.accel)) }
        guard gyro.x.isFinite, gyro.y.isFinite, gyro.z.isFinite else { return .failure(.nonFinite(.gyro)) }
        guard max(abs(accel.x), abs(accel.y), abs(accel.z)) <= maxAccelMps2 else { return .failure(.outOfRange(.accel)) }
        guard max(abs(gyro.x), abs(gyro.y), abs(gyro.z)) <= maxGyroRadps else { return .failure(.outOfRange(.gyro)) }
        var temperatureC = 25.0
        if flags & HilSensorUpdatedFlags.hilSensorUpdatedTemperature.rawValue != 0 {
            let t = Double(m.temperature)
            guard t.isFinite else { return .failure(.nonFinite(.temperature)) }
            guard temperatureRangeC.contains(t) else { return .failure(.outOfRange(.temperature)) }
            temperatureC = t
        }
        var frame = HILSensorFrame(simTimeUs: m.timeUsec, accelFRDMps2: accel, gyroFRDRadps: gyro,
                                   temperatureC: temperatureC)
        if flags & HilSensorUpdatedFlags.hilSensorUpdatedAbsPressure.rawValue != 0 {
            let p = Double(m.absPressure)
            guard p.isFinite else { return .failure(.nonFinite(.absPressure)) }
            guard staticPressureRangeHPa.contains(p) else { return .failure(.outOfRange(.absPressure)) }
            frame.staticPressurePa = p * 100
        }
        if flags & HilSensorUpdatedFlags.hilSensorUpdatedDiffPressure.rawValue != 0 {
            let p = Double(m.diffPressure)
            guard p.isFinite else { return .failure(.nonFinite(.diffPressure)) }
            guard differentialPressureRangeHPa.contains(p) else { return .failure(.outOfRange(.diffPressure)) }
            frame.differentialPressurePa = p * 100
        }
        return .success(frame)
    }

    static func convert(_ m: HilGPS, lastSimUs: UInt64?) -> Result<HILGPSFrame, HILRefusal> {
        if let last = lastSimUs, m.timeUsec <= last {
            return .failure(.nonMonotonicTime(lastUs: last, gotUs: m.timeUsec))
        }
        let fixType: FlightMath.GPSFixType = m.fixType >= 3 ? .fix3D : m.fixType == 2 ? .fix2D : .none
        guard m.fixType <= 8 else { return .failure(.outOfRange(.fixType)) }
        guard abs(Int64(m.lat)) <= 900_000_000 else { return .failure(.outOfRange(.lat)) }
        guard abs(Int64(m.lon)) <= 1_800_000_000 else { return .failure(.outOfRange(.lon)) }
        let altitudeM = Double(m.alt) / 1000
        guard altitudeRangeM.contains(altitudeM) else { return .failure(.outOfRange(.alt)) }
        // eph/epv read as the horizontal and vertical accuracy in cm, as simulators serving PX4 fill them (UINT16_MAX: unknown, taken as 99 m, no use for aiding).
        func accuracyM(_ cm: UInt16) -> Double { cm == .max ? 99 : Double(cm) / 100 }
        let velocity = Vector3(Double(m.vn), Double(m.ve), Double(m.vd)) * 0.01
        guard max(abs(velocity.x), abs(velocity.y), abs(velocity.z)) <= maxVelocityMps else {
            return .failure(.outOfRange(.velocity))
        }
        return .success(HILGPSFrame(
            simTimeUs: m.timeUsec, fixType: fixType,
            position: Geodetic(latitudeDeg: Double(m.lat) * 1e-7, longitudeDeg: Double(m.lon) * 1e-7,
                               altitudeM: altitudeM),
            velocityNEDMps: velocity, horizontalAccuracyM: accuracyM(m.eph), verticalAccuracyM: accuracyM(m.epv),
            satellitesUsed: m.satellitesVisible == .max ? 0 : Int(m.satellitesVisible)))
    }
}
