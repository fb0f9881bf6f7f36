@testable import FlightLog
import FlightMath

/// Encodes one message with a scratch cursor and returns its bytes (tests only).
func encodeMessage(_ body: (inout ULogByteCursor) -> Bool) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: 70_000) { buf, count in
        var c = ULogByteCursor(UnsafeMutableRawBufferPointer(buf))
        count = body(&c) ? c.position : 0
    }
}

/// Little-endian bytes of an integer (independent of the encoder).
func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
    (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
}

func le(_ v: Float) -> [UInt8] { le(v.bitPattern) }
func le(_ v: Double) -> [UInt8] { le(v.bitPattern) }

/// A small in-memory log: two topics, info, params, strings, a dropout, a changed parameter.
struct SampleMemoryLog {
    var bytes: [UInt8] = []
    var attitude: ULogTopicHandle<VehicleAttitude>
    var outputs: ULogTopicHandle<ActuatorOutputs>
    /// Offsets where each data message starts, and the message lengths.
    var dataMessages: [(offset: Int, length: Int)] = []
    var definitionsEnd = 0

    init(samples: Int = 20) throws {
        var registry = ULogTopicRegistry()
        attitude = try registry.register(VehicleAttitude.self)
        outputs = try registry.register(ActuatorOutputs.self)
        let defs = ULogDefinitions(
            startTimestampUs: 5_000,
            info: ULogDefinitions.kestrelInfo(softwareVersion: "1.2.3", vehicleId: "V7", board: "pi4",
                                              airframe: "wing") + [("ver_sw_release", .uint32(0x0102_0300))],
            multiInfo: [("note", .string("a")), ("note", .string("b"))],
            parameters: [("FW_P_TC", .float(0.4)), ("KST_ID", .int32(-7))], registry: registry)
        bytes = try defs.encoded()
        definitionsEnd = bytes.count
        for i in 0..<samples {
            let t = UInt64(10_000 + i * 1_000)
            let q = Quaternion(euler: EulerAngles(rollRad: 0.1, pitchRad: -0.2, yawRad: 0.05 * Double(i)))
            append { [attitude] c in
                ULogMessageEncoder.data(VehicleAttitude(timestampUs: t, timestampSampleUs: t - 100, attitude: q),
                                        messageId: attitude.messageId, into: &c)
            }
            dataMessages.append((bytes.count - (attitude.dataMessageBytes), attitude.dataMessageBytes))
            var a = ActuatorOutputs()
            a.timestampUs = t
            a.outputCount = 2
            a.output[0] = Float(1000 + i)
            a.output[1] = -Float(i)
            append { [outputs] c in ULogMessageEncoder.data(a, messageId: outputs.messageId, into: &c) }
            dataMessages.append((bytes.count - outputs.dataMessageBytes, outputs.dataMessageBytes))
            if i == 5 { append { ULogMessageEncoder.logging(level: .info, timestampUs: t, text: "hello", into: &$0) } }
            if i == 6 {
                append { ULogMessageEncoder.loggingTagged(level: .error, tag: 42, timestampUs: t, text: "tagged", into: &$0) }
            }
            if i == 7 { append { ULogMessageEncoder.dropout(durationMs: 12, into: &$0) } }
            if i == 8 { append { ULogMessageEncoder.sync(into: &$0) } }
            if i == 9 {
                append { ULogMessageEncoder.keyValue(.parameter, key: "FW_P_TC", value: .float(0.5), into: &$0) }
            }
        }
    }

    mutating func append(_ body: (inout ULogByteCursor) -> Bool) {
        let m = encodeMessage(body)
        precondition(!m.isEmpty, "test message did not encode")
        bytes += m
    }
}
