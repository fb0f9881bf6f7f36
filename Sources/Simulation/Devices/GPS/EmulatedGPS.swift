import DeviceIO
import FlightMath

/// Output configuration of the emulated receiver.
public struct EmulatedGPSConfig: Hashable, Sendable {
    public enum Output: Hashable, Sendable {
        case nmea, ubx, nmeaAndUBX
    }

    public var output: Output
    /// Navigation rate; u-blox M8/M9 single-band receivers run 1…10 Hz (5 Hz is the usual flight setting).
    public var rateHz: Double
    public var baudRate: Int
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

    public init(output: Output = .ubx, rateHz: Double = 5, baudRate: Int = 115_200, processingLatencyUs: UInt64 = 30_000,
                utcAtClockZeroUnixS: Int64 = 1_795_262_400, geoidSeparationM: Double = 47.6, uereM: Double = 3.0,
                bufferBytes: Int = 8192)
    {
        self.output = output
        self.rateHz = min(max(rateHz, 0.1), 25)
        self.baudRate = max(baudRate, 300)
        self.processingLatencyUs = processingLatencyUs
        self.utcAtClockZeroUnixS = utcAtClockZeroUnixS
        self.geoidSeparationM = geoidSeparationM
        self.uereM = uereM
        self.bufferBytes = max(bufferBytes, 256)
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

/// A GPS receiver on a UART, as the flight software's `SerialPort` sees it: epochs at `rateHz` on the clock,
/// each encoding the latest fed `GPSFix` as NMEA (RMC, VTG, GGA, GSA) and/or UBX NAV-PVT with correct
/// checksums, trickling out at the baud rate (10 bit times per byte, 8N1), so a poll returns whatever part of a
/// sentence has arrived since the last one.
public final class EmulatedGPS: SerialPort {
    public let config: EmulatedGPSConfig
    public var faults: GPSFaults
    private let clock: MonotonicClock

    private var latestFix: GPSFix?
    private var nextEpochUs: UInt64
    private let periodUs: UInt64
    private let byteTimeNs: UInt64
    private var writer = FrameWriter()

    // The wire: bytes with the time their stop bit ends, in a ring allocated once.
    private var ringBytes: [UInt8]
    private var ringArrivalNs: [UInt64]
    private var head = 0
    private var queued = 0
    private var lastArrivalNs: UInt64 = 0
    private var bytesOnWire: UInt64 = 0

    public private(set) var epochsSent: UInt64 = 0
    public private(set) var droppedBytes: UInt64 = 0
    /// Bytes the flight software wrote to the receiver (configuration messages), kept for inspection.
    public private(set) var receivedFromHost: [UInt8] = []

    public init(config: EmulatedGPSConfig = EmulatedGPSConfig(), faults: GPSFaults = GPSFaults(), clock: MonotonicClock) {
        self.config = config
        self.faults = faults
        self.clock = clock
        periodUs = UInt64((1_000_000 / config.rateHz).rounded())
        byteTimeNs = UInt64((10e9 / Double(config.baudRate)).rounded())
        ringBytes = [UInt8](repeating: 0, count: config.bufferBytes)
        ringArrivalNs = [UInt64](repeating: 0, count: config.bufferBytes)
        // Epochs fall on whole multiples of the period, like a receiver aligned to GPS time.
        let now = clock.nowUs()
        nextEpochUs = (now / periodUs + 1) * periodUs
    }

    /// The plant's current truth; the next epoch reports it.
    public func feed(_ fix: GPSFix) {
        latestFix = fix
    }

    /// Bytes waiting in the receive buffer or still on the wire.
    public var pendingBytes: Int { queued }

    // MARK: SerialPort

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int {
        let now = clock.nowUs()
        generateEpochs(upToUs: now)
        let nowNs = now &* 1000
        var n = 0
        while n < buffer.count, queued > 0, ringArrivalNs[head] <= nowNs {
            buffer[n] = ringBytes[head]
            head = (head + 1) % ringBytes.count
            queued -= 1
            n += 1
        }
        return n
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int {
        if receivedFromHost.count < 4096 { receivedFromHost.append(contentsOf: bytes) }
        return bytes.count
    }

    // MARK: Epochs

    private func dropout(at timeUs: UInt64) -> GPSFaults.Dropout.Kind? {
        for d in faults.dropouts where timeUs >= d.fromUs && timeUs < d.untilUs { return d.kind }
        return nil
    }

    private func generateEpochs(upToUs now: UInt64) {
        while nextEpochUs &+ config.processingLatencyUs <= now {
            let epochUs = nextEpochUs
            nextEpochUs &+= periodUs
            guard let fix = latestFix else { continue }  // receiver still booting
            let kind = dropout(at: epochUs)
            if kind == .silent { continue }
            let unixUs = config.utcAtClockZeroUnixS &* 1_000_000 &+ Int64(truncatingIfNeeded: epochUs)
            // GPS time runs 18 leap seconds ahead of UTC since 2017; its week started 1980-01-06.
            let gpsUs = unixUs - 315_964_800 * 1_000_000 + 18 * 1_000_000
            let weekUs: Int64 = 604_800 * 1_000_000
            let towMs = UInt32(truncatingIfNeeded: ((gpsUs % weekUs + weekUs) % weekUs) / 1000)
            let epoch = GPSEpoch(fix: fix, valid: kind == nil && fix.fixType != .none, utc: UTCTime(unixUs: unixUs),
                                 timeOfWeekMs: towMs, geoidSeparationM: config.geoidSeparationM, uereM: config.uereM)
            let startNs = (epochUs &+ config.processingLatencyUs) &* 1000
            if config.output != .ubx {
                writer.nmeaRMC(epoch); transmit(startNs: startNs)
                writer.nmeaVTG(epoch); transmit(startNs: startNs)
                writer.nmeaGGA(epoch); transmit(startNs: startNs)
                writer.nmeaGSA(epoch); transmit(startNs: startNs)
            }
            if config.output != .nmea {
                writer.ubxNavPVT(epoch)
                transmit(startNs: startNs)
            }
            epochsSent &+= 1
        }
    }

    /// Queues the writer's frame on the wire, back to back after anything still being sent.
    private func transmit(startNs: UInt64) {
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
            queued += 1
        }
        lastArrivalNs = t
    }
}
