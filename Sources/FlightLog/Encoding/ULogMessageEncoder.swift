/// Frames ULog messages into a cursor. Each function writes one complete message (header included) and returns
/// false when it did not fit, in which case the cursor is marked overflowed and the bytes must be discarded.
/// None of them allocate, so they may run on the real-time thread.
public enum ULogMessageEncoder {
    /// Starts a message; returns the offset of its size field for `end`.
    @inlinable static func begin(_ type: ULogMessageType, _ c: inout ULogByteCursor) -> Int {
        let at = c.position
        c.write(UInt16(0))
        c.write(type.rawValue)
        return at
    }

    @inlinable static func end(_ start: Int, _ c: inout ULogByteCursor) -> Bool {
        let payload = c.position - start - ULogConstants.messageHeaderSize
        guard !c.overflowed, payload >= 0, payload <= ULogConstants.maxPayloadSize else { return false }
        c.patch(UInt16(payload), at: start)
        return !c.overflowed
    }

    /// The 16-byte file header: magic, version, start timestamp.
    public static func fileHeader(timestampUs: UInt64, into c: inout ULogByteCursor) -> Bool {
        let m = ULogConstants.magic
        c.write(m.0); c.write(m.1); c.write(m.2); c.write(m.3); c.write(m.4); c.write(m.5); c.write(m.6)
        c.write(ULogConstants.fileVersion)
        c.write(timestampUs)
        return !c.overflowed
    }

    /// Flag bits with nothing set: no compat/incompat features, no appended data.
    public static func flagBits(into c: inout ULogByteCursor) -> Bool {
        let s = begin(.flagBits, &c)
        for _ in 0..<ULogConstants.flagBitsPayloadSize { c.write(UInt8(0)) }
        return end(s, &c)
    }

    public static func format(_ definition: ULogFormatDefinition, into c: inout ULogByteCursor) -> Bool {
        let s = begin(.format, &c)
        c.write(utf8: definition.text)
        return end(s, &c)
    }

    /// 'I' (or 'P' for parameters, which share the layout): key length, "type name" key, raw value.
    public static func keyValue(_ type: ULogMessageType, key: String, value: ULogKeyValue,
                                into c: inout ULogByteCursor) -> Bool {
        let s = begin(type, &c)
        writeKeyValue(key: key, value: value, into: &c)
        return end(s, &c)
    }

    /// 'M': like 'I' with a leading `is_continued` byte; a long value is split over continued messages.
    public static func infoMultiple(key: String, value: ULogKeyValue, isContinued: Bool,
                                    into c: inout ULogByteCursor) -> Bool {
        let s = begin(.infoMultiple, &c)
        c.write(isContinued)
        writeKeyValue(key: key, value: value, into: &c)
        return end(s, &c)
    }

    /// Writes "type name" as two pieces so parameter changes (int32/float types) need no string allocation.
    @inlinable static func writeKeyValue(key: String, value: ULogKeyValue, into c: inout ULogByteCursor) {
        let keyLength: Int
        switch value {
        case .int32: keyLength = 7 + 1 + key.utf8.count
        case .float: keyLength = 5 + 1 + key.utf8.count
        default: keyLength = value.typeText.utf8.count + 1 + key.utf8.count
        }
        guard keyLength <= Int(UInt8.max) else { c.markOverflow(); return }
        c.write(UInt8(keyLength))
        switch value {
        case .int32: c.write(utf8: "int32_t")
        case .float: c.write(utf8: "float")
        default: c.write(utf8: value.typeText)
        }
        c.write(UInt8(0x20))
        c.write(utf8: key)
        value.write(into: &c)
    }

    public static func addSubscription(messageId: UInt16, multiId: UInt8, name: String,
                                       into c: inout ULogByteCursor) -> Bool {
        let s = begin(.addSubscription, &c)
        c.write(multiId)
        c.write(messageId)
        c.write(utf8: name)
        return end(s, &c)
    }

    /// 'L': a logged string at a level.
    public static func logging<S: StringProtocol>(level: ULogLogLevel, timestampUs: UInt64, text: S,
                                                  into c: inout ULogByteCursor) -> Bool {
        let s = begin(.logging, &c)
        c.write(level.rawValue)
        c.write(timestampUs)
        c.write(utf8: text)
        return end(s, &c)
    }

    /// 'L' from UTF-8 bytes the caller holds (a `FixedText` on the real-time thread).
    public static func logging(level: ULogLogLevel, timestampUs: UInt64, utf8 text: UnsafeBufferPointer<UInt8>,
                               into c: inout ULogByteCursor) -> Bool {
        let s = begin(.logging, &c)
        c.write(level.rawValue)
        c.write(timestampUs)
        c.write(bytes: UnsafeRawBufferPointer(text))
        return end(s, &c)
    }

    /// 'C': a logged string with a tag naming its source (Kestrel uses the subsystem id).
    public static func loggingTagged<S: StringProtocol>(level: ULogLogLevel, tag: UInt16, timestampUs: UInt64,
                                                        text: S, into c: inout ULogByteCursor) -> Bool {
        let s = begin(.loggingTagged, &c)
        c.write(level.rawValue)
        c.write(tag)
        c.write(timestampUs)
        c.write(utf8: text)
        return end(s, &c)
    }

    public static func sync(into c: inout ULogByteCursor) -> Bool {
        let s = begin(.sync, &c)
        let m = ULogConstants.syncMagic
        c.write(m.0); c.write(m.1); c.write(m.2); c.write(m.3)
        c.write(m.4); c.write(m.5); c.write(m.6); c.write(m.7)
        return end(s, &c)
    }

    /// 'O': `durationMs` of data lost (saturates at 65535 ms; a longer gap is several messages).
    public static func dropout(durationMs: UInt16, into c: inout ULogByteCursor) -> Bool {
        let s = begin(.dropout, &c)
        c.write(durationMs)
        return end(s, &c)
    }

    /// 'D': message id, then the topic's fields starting with its `uint64_t timestamp`.
    @inlinable public static func data<T: ULogTopic>(_ sample: T, messageId: UInt16, into c: inout ULogByteCursor) -> Bool {
        let s = begin(.data, &c)
        c.write(messageId)
        var sink = ULogTopicEncoder(cursor: c)
        sink.scalar("timestamp", sample.timestampUs)
        sample.encodeFields(into: &sink)
        c = sink.cursor
        return end(s, &c)
    }
}
