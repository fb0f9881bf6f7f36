/// A parameter value as ULog carries it: PX4 tools understand `int32_t` and `float` parameters.
public enum ULogParameterValue: Hashable, Sendable {
    case int32(Int32)
    case float(Float)

    var keyValue: ULogKeyValue {
        switch self {
        case .int32(let v): .int32(v)
        case .float(let v): .float(v)
        }
    }
}

/// Everything written once at the start of a log: header, flag bits, formats, info, initial parameters, and the
/// subscriptions that open the data section.
public struct ULogDefinitions: Sendable {
    public var startTimestampUs: UInt64
    public var info: [(key: String, value: ULogKeyValue)]
    /// Multi-info entries ('M'); each is written as one non-continued message.
    public var multiInfo: [(key: String, value: ULogKeyValue)]
    public var parameters: [(name: String, value: ULogParameterValue)]
    public var registry: ULogTopicRegistry

    public init(startTimestampUs: UInt64, info: [(key: String, value: ULogKeyValue)],
                multiInfo: [(key: String, value: ULogKeyValue)] = [],
                parameters: [(name: String, value: ULogParameterValue)], registry: ULogTopicRegistry) {
        self.startTimestampUs = startTimestampUs; self.info = info; self.multiInfo = multiInfo
        self.parameters = parameters; self.registry = registry
    }

    /// The info messages Kestrel writes: `sys_name` = "Kestrel", software version, board (`ver_hw`), vehicle id
    /// (`sys_uuid`), airframe, OS and toolchain.
    public static func kestrelInfo(softwareVersion: String, vehicleId: String, board: String, airframe: String)
        -> [(key: String, value: ULogKeyValue)] {
        [
            ("sys_name", .string("Kestrel")),
            ("ver_sw", .string(softwareVersion)),
            ("ver_hw", .string(board)),
            ("sys_uuid", .string(vehicleId)),
            ("airframe", .string(airframe)),
            ("sys_os_name", .string("Linux")),
            ("sys_toolchain", .string("Swift")),
        ]
    }

    /// Header through the last parameter, then the 'A' messages. Fails naming the entry that cannot be encoded
    /// (an over-long key or value).
    public func encoded() throws(ULogWriteError) -> [UInt8] {
        var out: [UInt8] = []
        try append(&out, "file header") { ULogMessageEncoder.fileHeader(timestampUs: startTimestampUs, into: &$0) }
        try append(&out, "flag bits") { ULogMessageEncoder.flagBits(into: &$0) }
        for f in registry.formats {
            try append(&out, "format \(f.name)") { ULogMessageEncoder.format(f, into: &$0) }
        }
        for (k, v) in info {
            try append(&out, "info \(k)") { ULogMessageEncoder.keyValue(.info, key: k, value: v, into: &$0) }
        }
        for (k, v) in multiInfo {
            try append(&out, "multi info \(k)") {
                ULogMessageEncoder.infoMultiple(key: k, value: v, isContinued: false, into: &$0)
            }
        }
        for (n, v) in parameters {
            try append(&out, "parameter \(n)") {
                ULogMessageEncoder.keyValue(.parameter, key: n, value: v.keyValue, into: &$0)
            }
        }
        for s in registry.subscriptions {
            try append(&out, "subscription \(s.topicName)") {
                ULogMessageEncoder.addSubscription(messageId: s.messageId, multiId: s.multiId, name: s.topicName, into: &$0)
            }
        }
        return out
    }

    private func append(_ out: inout [UInt8], _ what: String,
                        _ body: (inout ULogByteCursor) -> Bool) throws(ULogWriteError) {
        let scratchBytes = ULogConstants.messageHeaderSize + ULogConstants.maxPayloadSize
        var ok = false
        let bytes = [UInt8](unsafeUninitializedCapacity: scratchBytes) { buffer, count in
            var c = ULogByteCursor(UnsafeMutableRawBufferPointer(buffer))
            ok = body(&c) && !c.overflowed
            count = ok ? c.position : 0
        }
        guard ok else { throw .messageTooLarge(what) }
        out += bytes
    }
}

public enum ULogWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    case messageTooLarge(String)

    public var description: String {
        switch self {
        case .messageTooLarge(let what): "cannot encode \(what): key longer than 255 bytes or message over 65535 bytes"
        }
    }
}
