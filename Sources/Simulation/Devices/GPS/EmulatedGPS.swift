import DeviceIO
import FlightMath

/// Power-on state of the emulated receiver and what it models.
public struct EmulatedGPSConfig: Hashable, Sendable {
    public enum Output: Hashable, Sendable {
        case nmea, ubx, nmeaAndUBX
    }

    /// The u-blox generation: what MON-VER says and how it takes configuration (M8: CFG-PRT/RATE/MSG/NAV5;
    /// M9 and M10: CFG-VALSET, the legacy CFG messages answered with ACK-NAK as on M10).
    public enum Generation: Hashable, Sendable {
        case m8, m9, m10
    }

    /// Output at power-on (a factory-default u-blox: `.nmea`).
    public var output: Output
    /// Navigation rate at power-on; u-blox M8/M9 single-band receivers run 1…10 Hz (factory default 1 Hz).
    public var rateHz: Double
    /// UART speed at power-on (factory default 9600).
    public var baudRate: Int
    public var generation: Generation
    /// CFG message ids (class 0x06) the receiver answers with ACK-NAK: settings its firmware lacks.
    public var refusedConfigMessageIDs: Set<UInt8>
    /// Time from the measurement epoch to the first byte on the wire (receiver computation).
    public var processingLatencyUs: UInt64
    /// UTC at clock time zero (Unix seconds); the epochs' UTC follows the clock from there.
    public var utcAtClockZeroUnixS: Int64
    /// Geoid height above the WGS-84 ellipsoid at the flying site (NMEA altitudes are above mean sea level).
    public var geoidSeparationM: Double
    /// Accuracy = DOP × UERE: must match the parser's setting for accuracies to survive NMEA.
    public var uereM: Double
    /// Bytes the receiver and the host's tty can hold before the oldest unsent data is dropped.
    public var bufferBytes: Int

    public init(output: Output = .ubx, rateHz: Double = 5, baudRate: Int = 115_200, generation: Generation = .m8,
                refusedConfigMessageIDs: Set<UInt8> = [], processingLatencyUs: UInt64 = 30_000,
                utcAtClockZeroUnixS: Int64 = 1_795_262_400, geoidSeparationM: Double = 47.6, uereM: Double = 3.0,
                bufferBytes: Int = 8192)
    {
        self.output = output
        self.rateHz = min(max(rateHz, 0.1), 25)
        self.baudRate = max(baudRate, 300)
        self.generation = generation
        self.refusedConfigMessageIDs = refusedConfigMessageIDs
        self.processingLatencyUs = processingLatencyUs
        self.utcAtClockZeroUnixS = utcAtClockZeroUnixS
        self.geoidSeparationM = geoidSeparationM
        self.uereM = uereM
        self.bufferBytes = max(bufferBytes, 256)
    }

    /// A u-blox as it leaves the factory: 9600 baud, NMEA only, 1 Hz.
    public static func factoryDefault(generation: Generation = .m8) -> EmulatedGPSConfig {
        EmulatedGPSConfig(output: .nmea, rateHz: 1, baudRate: 9600, generation: generation)
    }
}

/// Receiver faults on a timeline of the emulator's clock.
public struct GPSFaults: Hashable, Sendable {
    public struct Dropout: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            /// Nothing on the wire (cable or power lost).
            case silent
            /// Messages keep coming but without a solution (antenna shaded, jamming).
            case noFix
        }

        public var fromUs: UInt64
        public var untilUs: UInt64
        public var kind: Kind

        public init(fromUs: UInt64, untilUs: UInt64, kind: Kind) {
            self.fromUs = fromUs
            self.untilUs = untilUs
            self.kind = kind
        }
    }

    public var dropouts: [Dropout]
    /// Flip bit 5 of every Nth byte on the wire (line noise); nil = clean line.
    public var corruptEveryNthByte: UInt64?

    public init(dropouts: [Dropout] = [], corruptEveryNthByte: UInt64? = nil) {
        self.dropouts = dropouts
        self.corruptEveryNthByte = corruptEveryNthByte
    }
}

/// A u-blox GPS receiver on a UART, as the flight software's `SerialPort` sees it: epochs at the configured rate on
/// the clock, each encoding the latest fed `GPSFix` as NMEA (RMC, VTG, GGA, GSA) and/or UBX NAV-PVT with correct
/// checksums, trickling out at the receiver's baud rate (10 bit times per byte, 8N1), so a poll returns whatever part
/// of a sentence has arrived since the last one.
///
/// It takes configuration like the real part where the flight software depends on it: it answers UBX-MON-VER, and
/// acknowledges and applies CFG-PRT/RATE/MSG/NAV5 (M8) or CFG-VALSET (M9/M10). The line has two speeds, the
/// receiver's and the host port's (`setBaudRate`): bytes sent at one and read at the other arrive as framing garbage
/// (high bit set, so never a UBX sync or a `$`), and commands written at the wrong speed are never understood.
public final class EmulatedGPS: SerialPort {
    public let config: EmulatedGPSConfig
    public var faults: GPSFaults
    let clock: MonotonicClock

    private var latestFix: GPSFix?
    var nextEpochUs: UInt64
    var periodUs: UInt64
    var byteTimeNs: UInt64
    var writer = FrameWriter()
    var commands = UBXCommandReader()

    // The wire: bytes with the time their stop bit ends and the speed they were sent at, in a ring allocated once.
    private var ringBytes: [UInt8]
    private var ringArrivalNs: [UInt64]
    private var ringBaud: [Int]
    private var head = 0
    private var queued = 0
    var lastArrivalNs: UInt64 = 0
    private var bytesOnWire: UInt64 = 0
    private var epochIndex: UInt64 = 0

    // Receiver state the configuration changes.
    public internal(set) var receiverBaudRate: Int
    public private(set) var hostBaudRate: Int
    public internal(set) var outputsNMEA: Bool
    public internal(set) var outputsUBX: Bool
    public internal(set) var acceptsUBX = true
    /// NAV-PVT on UART1 every this many solutions (0: off).
    public internal(set) var navPVTRate: UInt8
    public internal(set) var dynamicModel: UInt8 = 0
    public var measurementPeriodMs: UInt64 { periodUs / 1000 }

    public private(set) var epochsSent: UInt64 = 0
    public private(set) var droppedBytes: UInt64 = 0
    /// Bytes the flight software wrote to the receiver (configuration messages), kept for inspection.
    public private(set) var receivedFromHost: [UInt8] = []
    /// Host bytes the receiver could not understand because the two sides' speeds differed.
    public private(set) var garbledHostBytes: UInt64 = 0
    /// Configuration messages acknowledged and refused, for tests and reports.
    public internal(set) var acknowledged: [String] = []
    public internal(set) var refused: [String] = []

    public init(config: EmulatedGPSConfig = EmulatedGPSConfig(), faults: GPSFaults = GPSFaults(), clock: MonotonicClock) {
        self.config = config
        self.faults = faults
        self.clock = clock
        periodUs = UInt64((1_000_000 / config.rateHz).rounded())
        byteTimeNs = Self.byteTimeNs(config.baudRate)
        receiverBaudRate = config.baudRate
        hostBaudRate = config.baudRate
        outputsNMEA = config.output != .ubx
        // u-blox ports send UBX and NMEA by default; NAV-PVT is one of the UBX messages that is off.
        outputsUBX = true
        navPVTRate = config.output == .nmea ? 0 : 1
        ringBytes = [UInt8](repeating: 0, count: config.bufferBytes)
        ringArrivalNs = [UInt64](repeating: 0, count: config.bufferBytes)
        ringBaud = [Int](repeating: 0, count: config.bufferBytes)
        // Epochs fall on whole multiples of the period, like a receiver aligned to GPS time.
        let now = clock.nowUs()
        nextEpochUs = (now / periodUs + 1) * periodUs
    }

    static func byteTimeNs(_ baudRate: Int) -> UInt64 { UInt64((10e9 / Double(max(baudRate, 1))).rounded()) }

    /// The plant's current truth; the next epoch reports it.
    public func feed(_ fix: GPSFix) {
        latestFix = fix
    }

    /// Bytes waiting in the receive buffer or still on the wire.
    public var pendingBytes: Int { queued }

    // MARK: SerialPort

    public var baudRate: Int { hostBaudRate }

    public func setBaudRate(_ baudRate: Int) throws(DeviceError) {
        guard baudRate >= 300, baudRate <= 4_000_000 else {
            throw DeviceError.invalidRequest(.serial, path: "emulated GPS", detail: "unsupported baud rate \(baudRate)")
        }
        // As tcflush(TCIFLUSH): what has arrived is discarded.
        let nowNs = clock.nowUs() &* 1000
        while queued > 0, ringArrivalNs[head] <= nowNs {
            head = (head + 1) % ringBytes.count
            queued -= 1
        }
        hostBaudRate = baudRate
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int {
        let now = clock.nowUs()
        generateEpochs(upToUs: now)
        let nowNs = now &* 1000
        var n = 0
        while n < buffer.count, queued > 0, ringArrivalNs[head] <= nowNs {
            let b = ringBytes[head]
            // Sent at another speed: the host UART sees framing garbage, never a sync byte pair or a '$'.
            buffer[n] = ringBaud[head] == hostBaudRate ? b : 0x80 | (b >> 1)
            head = (head + 1) % ringBytes.count
            queued -= 1
            n += 1
        }
        return n
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int {
        if receivedFromHost.count < 4096 { receivedFromHost.append(contentsOf: bytes) }
        let now = clock.nowUs()
        generateEpochs(upToUs: now)
        guard hostBaudRate == receiverBaudRate else {
            garbledHostBytes &+= UInt64(bytes.count)
            commands = UBXCommandReader()
            return bytes.count
        }
        // The receiver acts on a frame once its last byte is in, and answers after a few ms of processing.
        let hostByteNs = Self.byteTimeNs(hostBaudRate)
        var arrivalNs = now &* 1000
        for b in bytes {
            arrivalNs &+= hostByteNs
            if let command = commands.consume(b) {
                handle(command, atNs: arrivalNs &+ 5_000_000)
            }
        }
        return bytes.count
    }

    // MARK: Epochs

    private func dropout(at timeUs: UInt64) -> GPSFaults.Dropout.Kind? {
        for d in faults.dropouts where timeUs >= d.fromUs && timeUs < d.untilUs { return d.kind }
        return nil
    }

    private static let noSolution = GPSFix(
        timestampUs: 0, fixType: .none, position: Geodetic(latitudeDeg: 0, longitudeDeg: 0, altitudeM: 0),
        velocityNEDMps: .zero, horizontalAccuracyM: 0, verticalAccuracyM: 0, speedAccuracyMps: 0, satellitesUsed: 0)

    func generateEpochs(upToUs now: UInt64) {
        while nextEpochUs &+ config.processingLatencyUs <= now {
            let epochUs = nextEpochUs
            nextEpochUs &+= periodUs
            epochIndex &+= 1
            let kind = dropout(at: epochUs)
            if kind == .silent { continue }
            // Before the plant feeds a truth the receiver is up but has no solution yet, and says so every epoch.
            let fix = latestFix ?? Self.noSolution
            let unixUs = config.utcAtClockZeroUnixS &* 1_000_000 &+ Int64(truncatingIfNeeded: epochUs)
            // GPS time runs 18 leap seconds ahead of UTC since 2017; its week started 1980-01-06.
            let gpsUs = unixUs - 315_964_800 * 1_000_000 + 18 * 1_000_000
            let weekUs: Int64 = 604_800 * 1_000_000
            let towMs = UInt32(truncatingIfNeeded: ((gpsUs % weekUs + weekUs) % weekUs) / 1000)
            let epoch = GPSEpoch(fix: fix, valid: kind == nil && latestFix != nil && fix.fixType != .none,
                                 utc: UTCTime(unixUs: unixUs), timeOfWeekMs: towMs,
                                 geoidSeparationM: config.geoidSeparationM, uereM: config.uereM)
            let startNs = (epochUs &+ config.processingLatencyUs) &* 1000
            if outputsNMEA {
                writer.nmeaRMC(epoch); transmit(startNs: startNs)
                writer.nmeaVTG(epoch); transmit(startNs: startNs)
                writer.nmeaGGA(epoch); transmit(startNs: startNs)
                writer.nmeaGSA(epoch); transmit(startNs: startNs)
            }
            if outputsUBX, navPVTRate > 0, epochIndex % UInt64(navPVTRate) == 0 {
                writer.ubxNavPVT(epoch)
                transmit(startNs: startNs)
            }
            epochsSent &+= 1
        }
    }

    /// Queues the writer's frame on the wire at the receiver's speed, back to back after anything still being sent.
    func transmit(startNs: UInt64) {
        var t = max(startNs, lastArrivalNs)
        for i in 0..<writer.count {
            t &+= byteTimeNs
            bytesOnWire &+= 1
            var b = writer.bytes[i]
            if let n = faults.corruptEveryNthByte, n > 0, bytesOnWire % n == 0 { b ^= 0x20 }
            guard queued < ringBytes.count else {
                droppedBytes &+= 1
                continue
            }
            let tail = (head + queued) % ringBytes.count
            ringBytes[tail] = b
            ringArrivalNs[tail] = t
            ringBaud[tail] = receiverBaudRate
            queued += 1
        }
        lastArrivalNs = t
    }
}
