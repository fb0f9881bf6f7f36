import FlightMath

/// The real-time side of logging: encodes samples, strings and parameter changes as framed ULog messages into an
/// `SPSCRecordRing`. Nothing here allocates, locks or blocks.
///
/// Drops are accounted the ULog way: when records are lost because the ring is full, the next record that fits
/// is preceded by a dropout ('O') message whose duration spans from the first lost record to now, so readers
/// (and Flight Review) see the gap. The ring keeps the exact count of lost records.
///
/// Thread contract: used by exactly one producer thread (the ring's producer).
public final class ULogProducer: @unchecked Sendable {
    public let ring: SPSCRecordRing
    @usableFromInline var dropping = false
    @usableFromInline var dropStartUs: UInt64 = 0
    public private(set) var dropoutMessagesQueued = 0

    public init(ring: SPSCRecordRing) { self.ring = ring }

    /// Whether every registered topic fits one ring slot; check once at start-up.
    public func canHold(_ registry: ULogTopicRegistry) -> Bool {
        registry.largestDataMessageBytes <= ring.recordCapacityBytes
    }

    @discardableResult
    @inlinable public func log<T: ULogTopic>(_ sample: T, to handle: ULogTopicHandle<T>) -> Bool {
        enqueue(nowUs: sample.timestampUs) { c in
            ULogMessageEncoder.data(sample, messageId: handle.messageId, into: &c)
        }
    }

    /// An 'L' message (or 'C' when `tag` is given). Text longer than a slot is dropped and counted as oversize.
    @discardableResult
    public func log<S: StringProtocol>(_ level: ULogLogLevel, _ text: S, timestampUs: UInt64, tag: UInt16? = nil) -> Bool {
        enqueue(nowUs: timestampUs) { c in
            if let tag {
                ULogMessageEncoder.loggingTagged(level: level, tag: tag, timestampUs: timestampUs, text: text, into: &c)
            } else {
                ULogMessageEncoder.logging(level: level, timestampUs: timestampUs, text: text, into: &c)
            }
        }
    }

    /// An 'L' message of text composed without the heap; encoded straight into the ring slot.
    @discardableResult
    public func log(_ level: ULogLogLevel, _ text: FixedText, timestampUs: UInt64) -> Bool {
        text.withUTF8 { bytes in
            enqueue(nowUs: timestampUs) { c in
                ULogMessageEncoder.logging(level: level, timestampUs: timestampUs, utf8: bytes, into: &c)
            }
        }
    }

    /// A changed parameter ('P' in the data section). `nowUs` only dates a dropout that precedes it.
    @discardableResult
    public func logParameterChange(name: String, value: ULogParameterValue, nowUs: UInt64) -> Bool {
        enqueue(nowUs: nowUs) { c in
            ULogMessageEncoder.keyValue(.parameter, key: name, value: value.keyValue, into: &c)
        }
    }

    @usableFromInline func enqueue(nowUs: UInt64, _ encode: (inout ULogByteCursor) -> Bool) -> Bool {
        if dropping {
            // Needs room for the dropout marker and the record itself, or the gap simply continues.
            guard ring.hasFreeSlots(2) else {
                ring.countDroppedWhenFull()
                return false
            }
            let lostUs = nowUs >= dropStartUs ? nowUs - dropStartUs : 0
            let durationMs = UInt16(clamping: max(1, lostUs / 1000))
            if ring.push({ ULogMessageEncoder.dropout(durationMs: durationMs, into: &$0) }) {
                dropping = false
                dropoutMessagesQueued += 1
            }
        }
        if ring.push(encode) { return true }
        if !ring.hasFreeSlots(1) && !dropping {
            dropping = true
            dropStartUs = nowUs
        }
        return false
    }
}
