/// Why a signed frame was rejected.
public enum SignatureFailure: Sendable, Equatable {
    case badSignature
    /// Timestamp not newer than the last accepted one of its (system, component, link) stream.
    case replayed
    /// A new stream whose timestamp is more than a minute behind the local timestamp, or not newer than the last
    /// timestamp of a stream that was aged out of the table (so a recording of an evicted stream cannot return).
    case tooOld
    /// A new stream whose timestamp is more than `SignatureTimestamp.acceptedLeadUnits` ahead of a sane local
    /// clock: accepting it would make every later station look "too old".
    case tooFarAhead
}

public enum SignatureCheck: Sendable, Equatable {
    case valid(linkID: UInt8)
    case rejected(SignatureFailure)
}

/// Checks signed frames against one key, with replay protection per (system, component, link) stream in a fixed
/// table (no allocation).
///
/// Rules (MAVLink 2 signing): the signature must match; a known stream's timestamp must strictly increase; a new
/// stream may start at most one minute behind the local timestamp, which is the newest of the local clock, the
/// floor given at start-up (the last timestamp the vehicle persisted) and every accepted timestamp (so a vehicle
/// without a real-time clock still rejects stale recordings once it has heard a fresh frame).
///
/// - When all 32 slots are taken, a new stream takes the slot of the least recently used one; the evicted stream's
///   last timestamp becomes a floor every new stream must pass, so frames recorded from it stay replays.
/// - When the local clock is sane (after `SignatureTimestamp.saneClockFloorUnixUs`), it is the reference: a new
///   stream may be at most `acceptedLeadUnits` ahead of it, and accepted timestamps do not move the local timestamp
///   past it, so one station with a clock ahead (or years ahead) cannot make every other station "too old".
///   Without a sane clock (a board booting in 1970) the newest accepted timestamp sets the time, as before.
///
/// One verifier serves all of a vehicle's transports (`SharedSignatureVerifier`): a stream is the same stream on
/// every link, so a frame recorded on one transport is a replay on another.
public struct SignatureVerifier: Sendable {
    public static let streamCapacity = 32

    struct Stream: Sendable {
        var systemID: UInt8 = 0
        var componentID: UInt8 = 0
        var linkID: UInt8 = 0
        var lastTimestamp: UInt64 = 0
        /// `useCounter` when the stream last had a frame accepted (least recently used goes first).
        var lastUse: UInt64 = 0
    }

    public let key: SigningKey
    public private(set) var localTimestamp: UInt64
    public private(set) var streamCount = 0
    /// Streams aged out to make room for new ones.
    public private(set) var streamsEvicted: UInt64 = 0
    /// The newest last timestamp of any evicted stream: new streams must be newer.
    public private(set) var evictedFloor: UInt64 = 0
    var streams = InlineArray<32, Stream>(repeating: Stream())
    private var useCounter: UInt64 = 0

    /// - Parameter localTimestampFloor: the last signing timestamp persisted by this vehicle, if any.
    public init(key: SigningKey, localTimestampFloor: UInt64 = 0) {
        self.key = key
        localTimestamp = localTimestampFloor
    }

    /// Checks a whole signed frame (STX through signature). `systemID`/`componentID` come from its header.
    public mutating func verify(
        frame: UnsafeRawBufferPointer, systemID: UInt8, componentID: UInt8, unixTimeUs: UInt64
    ) -> SignatureCheck {
        guard frame.count > FrameLayout.signatureLength else { return .rejected(.badSignature) }
        guard FrameSignature.isValid(frame: frame, key: key) else { return .rejected(.badSignature) }
        let blockStart = frame.count - FrameLayout.signatureLength
        let linkID = frame[blockStart]
        var timestamp: UInt64 = 0
        for index in 0..<6 { timestamp |= UInt64(frame[blockStart + 1 + index]) << UInt64(8 * index) }

        let clock = SignatureTimestamp.from(unixTimeUs: unixTimeUs)
        let clockIsSane = unixTimeUs >= SignatureTimestamp.saneClockFloorUnixUs
        localTimestamp = max(localTimestamp, clock)
        var slot = -1
        for index in 0..<streamCount {
            let stream = streams[index]
            if stream.systemID == systemID, stream.componentID == componentID, stream.linkID == linkID {
                slot = index
                break
            }
        }
        useCounter &+= 1
        if slot >= 0 {
            guard timestamp > streams[slot].lastTimestamp else { return .rejected(.replayed) }
            streams[slot].lastTimestamp = timestamp
            streams[slot].lastUse = useCounter
        } else {
            guard timestamp &+ SignatureTimestamp.acceptedAgeUnits >= localTimestamp, timestamp > evictedFloor else {
                return .rejected(.tooOld)
            }
            if clockIsSane, timestamp > clock &+ SignatureTimestamp.acceptedLeadUnits { return .rejected(.tooFarAhead) }
            let fresh = Stream(
                systemID: systemID, componentID: componentID, linkID: linkID, lastTimestamp: timestamp,
                lastUse: useCounter)
            if streamCount < Self.streamCapacity {
                streams[streamCount] = fresh
                streamCount += 1
            } else {
                var oldest = 0
                for index in 1..<streamCount where streams[index].lastUse < streams[oldest].lastUse { oldest = index }
                evictedFloor = max(evictedFloor, streams[oldest].lastTimestamp)
                streamsEvicted &+= 1
                streams[oldest] = fresh
            }
        }
        // A sane clock is the reference itself: a station ahead of it must not make the others "too old".
        localTimestamp = max(localTimestamp, clockIsSane ? min(timestamp, clock) : timestamp)
        return .valid(linkID: linkID)
    }
}

/// One `SignatureVerifier` shared by the parsers of all of a vehicle's transports (all on the telemetry thread).
public final class SharedSignatureVerifier {
    public var verifier: SignatureVerifier

    public init(_ verifier: SignatureVerifier) { self.verifier = verifier }
}
