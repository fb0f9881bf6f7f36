/// Why a signed frame was rejected.
public enum SignatureFailure: Sendable, Equatable {
    case badSignature
    /// Timestamp not newer than the last accepted one of its (system, component, link) stream.
    case replayed
    /// A new stream whose timestamp is more than a minute behind the local timestamp.
    case tooOld
    /// A new stream while all stream slots are taken. New streams are refused rather than evicting old ones:
    /// evicting would let a recorded frame of the evicted stream be replayed within the one-minute window.
    case streamTableFull
}

public enum SignatureCheck: Sendable, Equatable {
    case valid(linkID: UInt8)
    case rejected(SignatureFailure)
}

/// Checks signed frames against one key, with replay protection per (system, component, link) stream in a fixed
/// table (no allocation).
///
/// Rules (MAVLink 2 signing): the signature must match; a known stream's timestamp must strictly increase; a new
/// stream may start at most one minute behind the local timestamp, which is the newest of the local clock and every
/// accepted timestamp (so a vehicle without a real-time clock still rejects stale recordings once it has heard a
/// fresh frame).
public struct SignatureVerifier: Sendable {
    public static let streamCapacity = 32

    struct Stream: Sendable {
        var systemID: UInt8 = 0
        var componentID: UInt8 = 0
        var linkID: UInt8 = 0
        var lastTimestamp: UInt64 = 0
    }

    public let key: SigningKey
    public private(set) var localTimestamp: UInt64 = 0
    public private(set) var streamCount = 0
    var streams = InlineArray<32, Stream>(repeating: Stream())

    public init(key: SigningKey) { self.key = key }

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

        localTimestamp = max(localTimestamp, SignatureTimestamp.from(unixTimeUs: unixTimeUs))
        var slot = -1
        for index in 0..<streamCount {
            let stream = streams[index]
            if stream.systemID == systemID, stream.componentID == componentID, stream.linkID == linkID {
                slot = index
                break
            }
        }
        if slot >= 0 {
            guard timestamp > streams[slot].lastTimestamp else { return .rejected(.replayed) }
            streams[slot].lastTimestamp = timestamp
        } else {
            guard timestamp &+ SignatureTimestamp.acceptedAgeUnits >= localTimestamp else {
                return .rejected(.tooOld)
            }
            guard streamCount < Self.streamCapacity else { return .rejected(.streamTableFull) }
            streams[streamCount] = Stream(
                systemID: systemID, componentID: componentID, linkID: linkID, lastTimestamp: timestamp)
            streamCount += 1
        }
        localTimestamp = max(localTimestamp, timestamp)
        return .valid(linkID: linkID)
    }
}
