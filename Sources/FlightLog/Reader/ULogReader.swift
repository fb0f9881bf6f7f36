/// Parses ULog bytes. Pure (no file I/O); load bytes with `readFlightLogFile(path:)`.
public enum ULogReader {
    public enum Mode: Sendable {
        /// Corrupt input throws.
        case strict
        /// Corrupt input ends the read; the result holds what came before and the error in `corruption`.
        case salvage
    }

    public static func parse(_ bytes: [UInt8], mode: Mode = .strict) throws(ULogReadError) -> ULogParsedFile {
        var parser = Parser(bytes: bytes)
        do {
            try parser.run()
        } catch {
            guard mode == .salvage, parser.headerRead else { throw error }
            parser.file.corruption = error
        }
        parser.finish()
        return parser.file
    }
}

private struct Parser {
    let bytes: [UInt8]
    var file = ULogParsedFile()
    var headerRead = false
    /// The data section starts at the first 'A', 'L' or 'C'; a 'P' after that is a changed parameter.
    var inDataSection = false
    /// msg id -> index into file.topics
    var subscriptionIndex: [UInt16: Int] = [:]

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() throws(ULogReadError) {
        guard bytes.count >= ULogConstants.headerSize else {
            throw .notULog(reason: "only \(bytes.count) bytes, the header alone is 16")
        }
        let m = ULogConstants.magic
        guard Array(bytes[0..<7]) == [m.0, m.1, m.2, m.3, m.4, m.5, m.6] else {
            throw .notULog(reason: "the first 7 bytes are not the ULog magic")
        }
        file.version = bytes[7]
        file.startTimestampUs = u64(8)
        file.lastTimestampUs = file.startTimestampUs
        headerRead = true

        // The main stream, then (when the 'B' message says data was appended) each appended region.
        var offset = ULogConstants.headerSize
        regionEnd = bytes.count
        try parseRegion(from: &offset)
        for (i, start) in appendedOffsets.enumerated() where start >= offset && start < bytes.count {
            offset = start
            regionEnd = appendedOffsets.dropFirst(i + 1).first { $0 > start && $0 <= bytes.count } ?? bytes.count
            file.truncation = nil  // the main stream may legitimately end inside a message before appended data
            try parseRegion(from: &offset)
        }
    }

    /// Offsets of appended data from the 'B' message (only when its appended-data flag is set).
    var appendedOffsets: [Int] = []
    /// End of the region being parsed: the file's end, or the first appended offset for the main stream.
    var regionEnd = 0

    mutating func parseRegion(from offset: inout Int) throws(ULogReadError) {
        while offset < regionEnd {
            guard regionEnd - offset >= ULogConstants.messageHeaderSize else {
                file.truncation = truncation(at: offset, missing: ULogConstants.messageHeaderSize - (regionEnd - offset))
                return
            }
            let size = Int(u16(offset))
            let type = bytes[offset + 2]
            let payloadStart = offset + ULogConstants.messageHeaderSize
            if size == 0 && type == 0 && bytes[offset..<regionEnd].allSatisfy({ $0 == 0 }) {
                file.truncation = ULogTruncation(offset: offset, missingBytes: 0, zeroFilled: true)
                return
            }
            guard payloadStart + size <= regionEnd else {
                if bytes[offset..<regionEnd].allSatisfy({ $0 == 0 }) {
                    file.truncation = ULogTruncation(offset: offset, missingBytes: 0, zeroFilled: true)
                } else {
                    file.truncation = truncation(at: offset, missing: payloadStart + size - regionEnd)
                }
                return
            }
            try message(type: type, at: offset, payload: payloadStart..<(payloadStart + size))
            offset = payloadStart + size
        }
    }

    func truncation(at offset: Int, missing: Int) -> ULogTruncation {
        ULogTruncation(offset: offset, missingBytes: missing, zeroFilled: false)
    }

    mutating func finish() {}

    // MARK: messages

    mutating func message(type: UInt8, at offset: Int, payload p: Range<Int>) throws(ULogReadError) {
        guard let kind = ULogMessageType(rawValue: type) else {
            // New message types must be skippable (forward compatibility); a non-letter type means damage.
            let isLetter = (type >= 0x41 && type <= 0x5A) || (type >= 0x61 && type <= 0x7A)
            guard isLetter, !p.isEmpty else { throw .corruptMessageHeader(offset: offset, type: type, size: p.count) }
            return
        }
        func need(_ n: Int, _ what: String) throws(ULogReadError) {
            guard p.count >= n else {
                throw .malformedMessage(offset: offset, type: type, reason: "payload of \(p.count) bytes is too short for \(what)")
            }
        }
        if kind == .addSubscription || kind == .logging || kind == .loggingTagged { inDataSection = true }
        switch kind {
        case .flagBits:
            try need(16, "compat and incompat flags")
            file.compatFlags = Array(bytes[p.lowerBound..<p.lowerBound + 8])
            file.incompatFlags = Array(bytes[p.lowerBound + 8..<p.lowerBound + 16])
            // Bit 0 of byte 0 (appended data) is fine: the appended data follows in the same stream.
            let unknown = file.incompatFlags.enumerated().contains { i, b in
                i == 0 ? b & ~ULogConstants.incompatDataAppendedMask != 0 : b != 0
            }
            if unknown { throw .unsupportedIncompatibleFlags(offset: offset, flags: file.incompatFlags) }
            if file.incompatFlags[0] & ULogConstants.incompatDataAppendedMask != 0, p.count >= 40 {
                appendedOffsets = (0..<3).map { Int(clamping: u64(p.lowerBound + 16 + 8 * $0)) }.filter { $0 > 0 }
                if let first = appendedOffsets.first, first >= p.upperBound, first < regionEnd { regionEnd = first }
            }
        case .format:
            do {
                let f = try ULogFormatDefinition.parse(text(p))
                file.formats[f.name] = f
            } catch {
                throw .malformedMessage(offset: offset, type: type, reason: error.description)
            }
        case .info:
            file.info.append(try keyValue(p, offset: offset, type: type))
        case .infoMultiple:
            try need(2, "is_continued and key length")
            let kv = try keyValue(p.lowerBound + 1..<p.upperBound, offset: offset, type: type)
            let continued = bytes[p.lowerBound] != 0
            var list = file.multiInfo[kv.key] ?? []
            if continued, !list.isEmpty { list[list.count - 1].append(kv.value) } else { list.append([kv.value]) }
            file.multiInfo[kv.key] = list
        case .parameter:
            let kv = try keyValue(p, offset: offset, type: type)
            if !inDataSection {
                file.initialParameters.append(kv)
            } else {
                file.changedParameters.append(ULogChangedParameter(timestampUs: file.lastTimestampUs, name: kv.key, value: kv.value))
            }
        case .parameterDefault:
            try need(2, "default types and key length")
            _ = try keyValue(p.lowerBound + 1..<p.upperBound, offset: offset, type: type)
        case .addSubscription:
            try need(4, "multi id, message id and name")
            let multiId = bytes[p.lowerBound]
            let msgId = u16(p.lowerBound + 1)
            let name = text(p.lowerBound + 3..<p.upperBound)
            var columns: [ULogColumn] = []
            var size = 0
            try flatten(format: name, prefix: "", into: &columns, size: &size, depth: 0, offset: offset, type: type)
            // Trailing padding fields are not data (PX4 pads some formats); samples may omit them.
            while let last = columns.last, last.name.hasPrefix("_padding") { columns.removeLast() }
            let ts = columns.firstIndex { $0.name == "timestamp" && $0.type == .uint64 }
            let topic = ULogTopicData(name: name, multiId: multiId, messageId: msgId, columns: columns,
                                      sampleBytes: size, timestampColumn: ts)
            subscriptionIndex[msgId] = file.topics.count
            file.topics.append(topic)
        case .removeSubscription:
            try need(2, "message id")
            subscriptionIndex[u16(p.lowerBound)] = nil
        case .data:
            try need(2, "message id")
            let msgId = u16(p.lowerBound)
            guard let i = subscriptionIndex[msgId] else { throw .unknownSubscription(offset: offset, messageId: msgId) }
            // Only the layout is read here: a copy of the topic would share `raw` and make each append below copy
            // the whole buffer (quadratic in the log size).
            let layout = Self.layout(of: file.topics[i])
            let dataBytes = p.count - 2
            guard dataBytes >= layout.minBytes, dataBytes <= layout.sampleBytes else {
                throw .dataSizeMismatch(offset: offset, topic: file.topics[i].name, expected: layout.sampleBytes,
                                        actual: dataBytes)
            }
            file.topics[i].raw.append(contentsOf: bytes[(p.lowerBound + 2)..<p.upperBound])
            if dataBytes < layout.sampleBytes {  // keep fixed stride when trailing padding was omitted
                file.topics[i].raw.append(contentsOf: repeatElement(0, count: layout.sampleBytes - dataBytes))
            }
            if let tsOffset = layout.timestampOffset {
                let ts = u64(p.lowerBound + 2 + tsOffset)
                file.lastTimestampUs = max(file.lastTimestampUs, ts)
            }
        case .logging:
            try need(9, "log level and timestamp")
            file.loggedMessages.append(ULogLoggedMessage(level: bytes[p.lowerBound], tag: nil,
                                                         timestampUs: u64(p.lowerBound + 1),
                                                         text: text(p.lowerBound + 9..<p.upperBound)))
        case .loggingTagged:
            try need(11, "log level, tag and timestamp")
            file.loggedMessages.append(ULogLoggedMessage(level: bytes[p.lowerBound], tag: u16(p.lowerBound + 1),
                                                         timestampUs: u64(p.lowerBound + 3),
                                                         text: text(p.lowerBound + 11..<p.upperBound)))
        case .sync:
            try need(8, "sync magic")
            let s = ULogConstants.syncMagic
            guard Array(bytes[p.lowerBound..<p.lowerBound + 8]) == [s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7] else {
                throw .malformedMessage(offset: offset, type: type, reason: "sync magic does not match")
            }
            file.syncCount += 1
        case .dropout:
            try need(2, "duration")
            file.dropouts.append(ULogDropout(timestampUs: file.lastTimestampUs, durationMs: u16(p.lowerBound)))
        }
    }

    static func layout(of t: ULogTopicData) -> (sampleBytes: Int, minBytes: Int, timestampOffset: Int?) {
        (t.sampleBytes, (t.columns.last.map { $0.offset + $0.type.sizeBytes }) ?? 0,
         t.timestampColumn.map { t.columns[$0].offset })
    }

    /// Flattens a (possibly nested) format into primitive columns with byte offsets.
    func flatten(format name: String, prefix: String, into columns: inout [ULogColumn], size: inout Int,
                 depth: Int, offset: Int, type: UInt8) throws(ULogReadError) {
        guard depth < 16 else {
            throw .malformedMessage(offset: offset, type: type, reason: "format '\(name)' nests more than 16 levels (a cycle?)")
        }
        guard let f = file.formats[name] else { throw .unknownFormat(offset: offset, type: type, name: name) }
        for field in f.fields {
            let count = field.arrayCount ?? 0
            if let prim = field.primitive {
                if count == 0 {
                    columns.append(ULogColumn(name: prefix + field.name, type: prim, offset: size))
                    size += prim.sizeBytes
                } else {
                    for i in 0..<count {
                        columns.append(ULogColumn(name: "\(prefix)\(field.name)[\(i)]", type: prim, offset: size))
                        size += prim.sizeBytes
                    }
                }
            } else if count == 0 {
                try flatten(format: field.typeName, prefix: prefix + field.name + ".", into: &columns, size: &size,
                            depth: depth + 1, offset: offset, type: type)
            } else {
                for i in 0..<count {
                    try flatten(format: field.typeName, prefix: "\(prefix)\(field.name)[\(i)].", into: &columns,
                                size: &size, depth: depth + 1, offset: offset, type: type)
                }
            }
            guard size <= ULogConstants.maxPayloadSize else {
                throw .malformedMessage(offset: offset, type: type, reason: "format '\(name)' is larger than a message can be")
            }
        }
    }

    /// 'I' / 'P' body: key length, "type name", value.
    func keyValue(_ p: Range<Int>, offset: Int, type: UInt8) throws(ULogReadError) -> ULogKeyedValue {
        guard p.count >= 1 else { throw .malformedMessage(offset: offset, type: type, reason: "empty payload") }
        let keyLength = Int(bytes[p.lowerBound])
        guard p.count >= 1 + keyLength else {
            throw .malformedMessage(offset: offset, type: type, reason: "key length \(keyLength) exceeds the payload of \(p.count) bytes")
        }
        let typedKey = text(p.lowerBound + 1..<p.lowerBound + 1 + keyLength)
        let parts = typedKey.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else {
            throw .malformedMessage(offset: offset, type: type, reason: "key \"\(typedKey)\" is not 'type name'")
        }
        let typeName = String(parts[0]), key = String(parts[1])
        let v = p.lowerBound + 1 + keyLength..<p.upperBound
        let field: ULogFieldDefinition
        do { field = try ULogFormatDefinition.parse("k:" + typeName + " v;").fields[0] } catch {
            throw .malformedMessage(offset: offset, type: type, reason: "key \"\(typedKey)\" has a malformed type")
        }
        guard let prim = field.primitive else {
            throw .malformedMessage(offset: offset, type: type, reason: "key \"\(typedKey)\" has non-primitive type \(typeName)")
        }
        let value: ULogValue
        if prim == .char, field.arrayCount != nil {
            value = .string(text(v))
        } else if let n = field.arrayCount {
            guard v.count == n * prim.sizeBytes else {
                throw .malformedMessage(offset: offset, type: type, reason: "value of \"\(key)\" has \(v.count) bytes, \(typeName) needs \(n * prim.sizeBytes)")
            }
            value = .array((0..<n).map { i in scalar(prim, v.lowerBound + i * prim.sizeBytes) })
        } else {
            guard v.count == prim.sizeBytes else {
                throw .malformedMessage(offset: offset, type: type, reason: "value of \"\(key)\" has \(v.count) bytes, \(typeName) needs \(prim.sizeBytes)")
            }
            value = .scalar(scalar(prim, v.lowerBound))
        }
        return ULogKeyedValue(key: key, typeName: typeName, value: value)
    }

    // MARK: primitives (callers have checked the bounds)

    func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    func u64(_ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
        return v
    }
    func scalar(_ t: ULogScalarType, _ at: Int) -> ULogScalarValue {
        bytes.withUnsafeBytes { ULogScalarValue.load(t, from: $0, at: at) }
    }
    /// Text up to the first NUL (PX4 pads some strings); invalid UTF-8 is replaced, never fatal.
    func text(_ r: Range<Int>) -> String {
        let end = bytes[r].firstIndex(of: 0) ?? r.upperBound
        return String(decoding: bytes[r.lowerBound..<end], as: UTF8.self)
    }
}
