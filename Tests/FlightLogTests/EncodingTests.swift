import Testing
@testable import FlightLog
import FlightMath

@Suite struct EncodingTests {
    @Test func fileHeaderIsMagicVersionAndTimestamp() {
        let b = encodeMessage { ULogMessageEncoder.fileHeader(timestampUs: 0x0102_0304_0506_0708, into: &$0) }
        #expect(b == [0x55, 0x4C, 0x6F, 0x67, 0x01, 0x12, 0x35, 0x01, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
    }

    @Test func flagBitsHasNoFlagsAndFortyBytePayload() {
        let b = encodeMessage { ULogMessageEncoder.flagBits(into: &$0) }
        #expect(b == [40, 0, 0x42] + [UInt8](repeating: 0, count: 40))
    }

    @Test func syncAndDropoutBytes() {
        #expect(encodeMessage { ULogMessageEncoder.sync(into: &$0) }
                == [8, 0, 0x53, 0x2F, 0x73, 0x13, 0x20, 0x25, 0x0C, 0xBB, 0x12])
        #expect(encodeMessage { ULogMessageEncoder.dropout(durationMs: 300, into: &$0) } == [2, 0, 0x4F, 0x2C, 0x01])
    }

    @Test func infoAndParameterLayout() {
        let info = encodeMessage { ULogMessageEncoder.keyValue(.info, key: "sys_name", value: .string("Kestrel"), into: &$0) }
        let key = Array("char[7] sys_name".utf8)
        #expect(info == le(UInt16(1 + key.count + 7)) + [0x49, UInt8(key.count)] + key + Array("Kestrel".utf8))
        let p = encodeMessage { ULogMessageEncoder.keyValue(.parameter, key: "KST_ID", value: .int32(-2), into: &$0) }
        let pk = Array("int32_t KST_ID".utf8)
        #expect(p == le(UInt16(1 + pk.count + 4)) + [0x50, UInt8(pk.count)] + pk + [0xFE, 0xFF, 0xFF, 0xFF])
    }

    @Test func addSubscriptionAndLoggingLayout() {
        let a = encodeMessage { ULogMessageEncoder.addSubscription(messageId: 0x0203, multiId: 1, name: "airspeed", into: &$0) }
        #expect(a == [11, 0, 0x41, 1, 0x03, 0x02] + Array("airspeed".utf8))
        let l = encodeMessage { ULogMessageEncoder.loggingTagged(level: .warning, tag: 9, timestampUs: 77, text: "hi", into: &$0) }
        #expect(l == [13, 0, 0x43, 0x34, 9, 0] + le(UInt64(77)) + Array("hi".utf8))
    }

    @Test func actuatorOutputsDataMessageBytes() {
        var a = ActuatorOutputs()
        a.timestampUs = 1_000
        a.outputCount = 2
        a.output[0] = 1500
        a.output[1] = -0.5
        let b = encodeMessage { ULogMessageEncoder.data(a, messageId: 4, into: &$0) }
        // 1500.0f = 0x44BB8000, -0.5f = 0xBF000000 (IEEE 754).
        let expectedFields = le(UInt64(1_000)) + le(UInt32(2)) + [0x00, 0x80, 0xBB, 0x44, 0x00, 0x00, 0x00, 0xBF]
            + [UInt8](repeating: 0, count: 14 * 4)
        #expect(b == le(UInt16(2 + 8 + 4 + 64)) + [0x44] + le(UInt16(4)) + expectedFields)
    }

    @Test func attitudeFormatTextFollowsPX4() {
        let f = ULogTopicDescriber.format(of: VehicleAttitude.self)
        #expect(f.text == "vehicle_attitude:uint64_t timestamp;uint64_t timestamp_sample;float[4] q;float[4] delta_q_reset;uint8_t quat_reset_counter;")
        #expect(f.primitiveSizeBytes == 49)
    }

    /// Every catalog topic: timestamp first, and the bytes of a sample match the format size exactly (pyulog
    /// silently drops samples whose size differs).
    @Test(arguments: KestrelTopicCatalog.all.map { ObjectIdentifier($0) })
    func catalogTopicEncodesToFormatSize(_ id: ObjectIdentifier) throws {
        let type = try #require(KestrelTopicCatalog.all.first { ObjectIdentifier($0) == id })
        func check<T: ULogTopic>(_ t: T.Type) {
            let f = ULogTopicDescriber.format(of: t)
            #expect(f.fields.first == ULogFieldDefinition(typeName: "uint64_t", name: "timestamp"))
            #expect(Set(f.fields.map(\.name)).count == f.fields.count, "duplicate field in \(f.name)")
            let size = f.primitiveSizeBytes ?? -1
            let b = encodeMessage { ULogMessageEncoder.data(T(), messageId: 0, into: &$0) }
            #expect(b.count == 3 + 2 + size, "\(f.name)")
            #expect(Int(b[0]) | Int(b[1]) << 8 == 2 + size)
            // Parsing our own text gives back the same definition.
            #expect((try? ULogFormatDefinition.parse(f.text)) == f)
        }
        check(type)
    }

    @Test func cursorRefusesWritesPastCapacity() {
        var storage = [UInt8](repeating: 0, count: 4)
        storage.withUnsafeMutableBytes { raw in
            var c = ULogByteCursor(raw)
            c.write(UInt16(1))
            #expect(!c.overflowed)
            c.write(UInt32(2))
            #expect(c.overflowed)
            #expect(c.position == 2)
        }
        // A message that does not fit reports failure instead of trapping.
        let tiny = [UInt8](unsafeUninitializedCapacity: 10) { buf, n in
            var c = ULogByteCursor(UnsafeMutableRawBufferPointer(buf))
            n = ULogMessageEncoder.sync(into: &c) ? c.position : 0
        }
        #expect(tiny.isEmpty)
    }

    @Test func registryRejectsDuplicatesAndAssignsIds() throws {
        var r = ULogTopicRegistry()
        let a = try r.register(Airspeed.self)
        let b = try r.register(Airspeed.self, multiId: 1)
        #expect(a.messageId == 0 && b.messageId == 1)
        #expect(r.formats.count == 1)
        #expect(throws: ULogRegistrationError.duplicate("airspeed", multiId: 1)) { try r.register(Airspeed.self, multiId: 1) }
    }

    @Test func gpsTopicFromFix() {
        let fix = GPSFix(timestampUs: 900, fixType: .fix3D,
                         position: Geodetic(latitudeDeg: 47.5, longitudeDeg: 8.25, altitudeM: 550),
                         velocityNEDMps: Vector3(3, 4, -1), horizontalAccuracyM: 1, verticalAccuracyM: 2,
                         speedAccuracyMps: 0.2, satellitesUsed: 300)
        let g = VehicleGPSPosition(timestampUs: 1_000, fix: fix, geoidHeightM: 48)
        #expect(abs(g.latitudeDeg - 47.5) < 1e-12)
        #expect(g.altitudeMSLM == 502)
        #expect(g.groundSpeedMps == 5)
        #expect(abs(g.courseOverGroundRad - Float(0.9272952)) < 1e-6)  // atan2(4, 3)
        #expect(g.satellitesUsed == 255)
    }
}
