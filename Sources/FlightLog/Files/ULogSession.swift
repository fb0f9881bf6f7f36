/// Limits and layout of the log directory.
public struct FlightLogConfiguration: Sendable {
    public var directory: String
    /// Keep at most this many logs (including the new one); the oldest are deleted at start.
    public var maxLogCount: Int
    /// Cap on one log file; when reached the log ends with a notice and later records are discarded (counted).
    public var maxFileBytes: Int
    /// Optional cap on all logs together, enforced at start by deleting the oldest.
    public var maxTotalBytes: Int?
    /// Bytes per write + fsync.
    public var blockBytes: Int
    /// A partly filled block is flushed when it is this old, bounding what a power loss can cost.
    public var flushIntervalUs: UInt64

    public init(directory: String, maxLogCount: Int = 20, maxFileBytes: Int = 256 << 20, maxTotalBytes: Int? = nil,
                blockBytes: Int = 16 << 10, flushIntervalUs: UInt64 = 1_000_000) {
        self.directory = directory; self.maxLogCount = maxLogCount; self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes; self.blockBytes = blockBytes; self.flushIntervalUs = flushIntervalUs
    }
}

public struct ULogSessionStats: Equatable, Sendable {
    public var recordsWritten = 0
    /// Records discarded after the size cap was reached.
    public var recordsDiscardedAtCap = 0
    public var flushes = 0
    public var bytesOnDisk = 0
    public var sizeCapReached = false
    /// Records the producers lost because their ring was full (each gap is also marked in the log by a dropout).
    public var droppedInRings = 0
}

/// The log thread's side of one flight log: creates the file (after rotation), writes the definitions, then
/// `pump` moves records from the producers' rings into the file in fsync'd blocks, with a sync marker at the
/// start of every block after the definitions so readers can resynchronise after damage.
///
/// Uses the C library for file I/O and may allocate; never call it from the real-time thread.
public final class ULogSession {
    public let path: String
    public let configuration: FlightLogConfiguration
    private let rings: [SPSCRecordRing]
    private let sink: ULogFileSink
    private var lastFlushUs: UInt64
    private var lastTimestampUs: UInt64
    public private(set) var stats = ULogSessionStats()
    /// Room kept below the cap for the closing notice.
    private static let capReserveBytes = 256

    public init(configuration: FlightLogConfiguration, naming: FlightLogNaming, definitions: ULogDefinitions,
                rings: [SPSCRecordRing]) throws {
        self.configuration = configuration
        self.rings = rings
        let dir = FlightLogDirectory(path: configuration.directory)
        try dir.create()
        try dir.rotate(maxLogCount: configuration.maxLogCount, maxTotalBytes: configuration.maxTotalBytes,
                       reserveBytes: configuration.maxFileBytes)
        path = configuration.directory + "/" + (try dir.newLogName(naming))
        sink = try ULogFileSink(path: path, blockBytes: configuration.blockBytes)
        lastFlushUs = definitions.startTimestampUs
        lastTimestampUs = definitions.startTimestampUs
        let head = try definitions.encoded()
        guard head.count + Self.capReserveBytes <= configuration.maxFileBytes else {
            throw ULogSessionError.capTooSmall(maxFileBytes: configuration.maxFileBytes, definitionsBytes: head.count)
        }
        try sink.append(head)
        try sink.flush()
        try appendSync()
        try POSIXFile.syncDirectory(configuration.directory)
        refreshStats()
    }

    /// Moves everything queued into the file; flushes full blocks, and a partial one older than the flush
    /// interval. Returns the records taken from the rings.
    @discardableResult
    public func pump(nowUs: UInt64) throws(FlightLogFileError) -> Int {
        lastTimestampUs = max(lastTimestampUs, nowUs)
        var moved = 0
        for ring in rings {
            do {
                moved += try ring.drain { (record) throws(FlightLogFileError) in try write(record: record) }
            } catch let e as FlightLogFileError {
                throw e
            } catch {
                // drain only rethrows what the body throws.
            }
        }
        if sink.bytesBuffered > 0, nowUs &- lastFlushUs >= configuration.flushIntervalUs || nowUs < lastFlushUs {
            try flush(nowUs: nowUs)
        }
        refreshStats()
        return moved
    }

    /// Drains the rings one last time, flushes and closes the file.
    public func finish(nowUs: UInt64) throws(FlightLogFileError) {
        try pump(nowUs: nowUs)
        try flush(nowUs: nowUs, last: true)
        refreshStats()
    }

    private func write(record: UnsafeRawBufferPointer) throws(FlightLogFileError) {
        if stats.sizeCapReached { stats.recordsDiscardedAtCap += 1; return }
        // Block boundaries get a sync marker, so account for it when the block will overflow.
        let syncBytes = ULogConstants.messageHeaderSize + 8
        if sink.totalBytes + record.count + syncBytes + Self.capReserveBytes > configuration.maxFileBytes {
            try endAtCap()
            stats.recordsDiscardedAtCap += 1
            return
        }
        if sink.bytesBuffered + record.count > sink.blockCapacity { try flush(nowUs: lastTimestampUs) }
        try sink.append(record)
        stats.recordsWritten += 1
    }

    private func appendSync() throws(FlightLogFileError) {
        var scratch: (UInt64, UInt64) = (0, 0)
        let length = withUnsafeMutableBytes(of: &scratch) { raw -> Int in
            var c = ULogByteCursor(raw)
            return ULogMessageEncoder.sync(into: &c) ? c.position : 0
        }
        guard length > 0 else { return }
        try withUnsafeBytes(of: &scratch) { (raw) throws(FlightLogFileError) in
            try sink.append(UnsafeRawBufferPointer(rebasing: raw[0..<length]))
        }
    }

    /// Every block after the definitions starts with a sync marker, so the marker goes in right after a flush.
    private func flush(nowUs: UInt64, last: Bool = false) throws(FlightLogFileError) {
        try sink.flush()
        lastFlushUs = nowUs
        if !stats.sizeCapReached && !last { try appendSync() }
    }

    private func endAtCap() throws(FlightLogFileError) {
        stats.sizeCapReached = true
        let text = "log size cap of \(configuration.maxFileBytes) bytes reached; logging stopped"
        let bytes = [UInt8](unsafeUninitializedCapacity: Self.capReserveBytes) { buf, count in
            var c = ULogByteCursor(UnsafeMutableRawBufferPointer(buf))
            count = ULogMessageEncoder.logging(level: .warning, timestampUs: lastTimestampUs, text: text, into: &c)
                ? c.position : 0
        }
        try sink.append(bytes)
        try sink.flush()
    }

    private func refreshStats() {
        stats.droppedInRings = rings.reduce(0) { $0 + $1.droppedWhenFull }
        stats.flushes = sink.flushCount
        stats.bytesOnDisk = sink.bytesOnDisk
    }
}

public enum ULogSessionError: Error, CustomStringConvertible, Equatable, Sendable {
    case capTooSmall(maxFileBytes: Int, definitionsBytes: Int)

    public var description: String {
        switch self {
        case .capTooSmall(let cap, let defs):
            "log size cap \(cap) bytes is smaller than the log's definitions (\(defs) bytes) plus a closing notice"
        }
    }
}
