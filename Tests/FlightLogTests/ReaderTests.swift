import Testing
@testable import FlightLog
import FlightMath
import PropertyBased

@Suite struct ReaderRoundTripTests {
    @Test func roundTripRecoversEverything() throws {
        let log = try SampleMemoryLog(samples: 20)
        let f = try ULogReader.parse(log.bytes)
        #expect(f.version == 1)
        #expect(f.startTimestampUs == 5_000)
        #expect(f.truncation == nil && f.corruption == nil)
        #expect(f.infoValue("sys_name") == .string("Kestrel"))
        #expect(f.infoValue("ver_sw") == .string("1.2.3"))
        #expect(f.infoValue("ver_sw_release") == .scalar(.uint(0x0102_0300)))
        #expect(f.multiInfo["note"] == [[.string("a")], [.string("b")]])
        #expect(f.initialParameters.map(\.key) == ["FW_P_TC", "KST_ID"])
        #expect(f.initialParameters[0].value == .scalar(.float(0.4)))
        #expect(f.initialParameters[1].value == .scalar(.int(-7)))
        // Changed after sample 9: dated with the latest data timestamp (sample 9 at 19 000 µs).
        #expect(f.changedParameters == [ULogChangedParameter(timestampUs: 19_000, name: "FW_P_TC", value: .scalar(.float(0.5)))])
        #expect(f.loggedMessages.count == 2)
        #expect(f.loggedMessages[0] == ULogLoggedMessage(level: 0x36, tag: nil, timestampUs: 15_000, text: "hello"))
        #expect(f.loggedMessages[1].tag == 42 && f.loggedMessages[1].levelName == "ERROR")
        #expect(f.dropouts == [ULogDropout(timestampUs: 17_000, durationMs: 12)])
        #expect(f.syncCount == 1)
        #expect(f.lastTimestampUs == 29_000)

        let att = try #require(f.topic("vehicle_attitude"))
        #expect(att.sampleCount == 20)
        #expect(att.columns.map(\.name).prefix(4) == ["timestamp", "timestamp_sample", "q[0]", "q[1]"])
        for i in 0..<20 {
            let q = Quaternion(euler: EulerAngles(rollRad: 0.1, pitchRad: -0.2, yawRad: 0.05 * Double(i)))
            #expect(att.timestampUs(sample: i) == UInt64(10_000 + i * 1_000))
            #expect(att.value(sample: i, "timestamp_sample") == .uint(UInt64(9_900 + i * 1_000)))
            #expect(att.value(sample: i, "q[0]") == .float(Float(q.w)))
            #expect(att.value(sample: i, "q[3]") == .float(Float(q.z)))
        }
        let out = try #require(f.topic("actuator_outputs"))
        #expect(out.value(sample: 7, "output[0]") == .float(1007))
        #expect(out.value(sample: 7, "output[1]") == .float(-7))
        #expect(out.value(sample: 7, "noutputs") == .uint(2))
    }

    /// Any attitude and timestamp survive the writer -> reader trip bit-exactly (as float32).
    @Test func attitudeRoundTripProperty() async {
        await propertyCheck(count: 200, input: Gen.double(in: -3.1...3.1), Gen.double(in: -1.5...1.5),
                            Gen.uint64(in: 0...UInt64(1) << 62)) { yaw, pitch, t in
            var r = ULogTopicRegistry()
            guard let h = try? r.register(VehicleAttitude.self) else { #expect(Bool(false)); return }
            let defs = ULogDefinitions(startTimestampUs: 0, info: [], parameters: [], registry: r)
            guard var bytes = try? defs.encoded() else { #expect(Bool(false)); return }
            let q = Quaternion(euler: EulerAngles(rollRad: 0.3, pitchRad: pitch, yawRad: yaw))
            bytes += encodeMessage { ULogMessageEncoder.data(VehicleAttitude(timestampUs: t, timestampSampleUs: t, attitude: q),
                                                             messageId: h.messageId, into: &$0) }
            let f = try? ULogReader.parse(bytes)
            let a = f?.topic("vehicle_attitude")
            #expect(a?.timestampUs(sample: 0) == t)
            #expect(a?.value(sample: 0, "q[1]") == .float(Float(q.x)))
            #expect(a?.value(sample: 0, "q[2]") == .float(Float(q.y)))
        }
    }

    @Test func nestedFormatsFlattenLikePyulog() throws {
        var b = encodeMessage { ULogMessageEncoder.fileHeader(timestampUs: 0, into: &$0) }
        b += encodeMessage { ULogMessageEncoder.flagBits(into: &$0) }
        b += encodeMessage { ULogMessageEncoder.format(try! ULogFormatDefinition.parse("pt:float x;float y;"), into: &$0) }
        b += encodeMessage {
            ULogMessageEncoder.format(try! ULogFormatDefinition.parse("path:uint64_t timestamp;pt[2] p;uint8_t n;uint8_t[3] _padding0;"), into: &$0)
        }
        b += encodeMessage { ULogMessageEncoder.addSubscription(messageId: 0, multiId: 0, name: "path", into: &$0) }
        // Data without the trailing padding is accepted, as PX4 writes it.
        b += le(UInt16(2 + 8 + 16 + 1)) + [0x44] + le(UInt16(0)) + le(UInt64(9)) + le(Float(1)) + le(Float(2))
            + le(Float(3)) + le(Float(4)) + [5]
        let f = try ULogReader.parse(b)
        let t = try #require(f.topic("path"))
        #expect(t.columns.map(\.name) == ["timestamp", "p[0].x", "p[0].y", "p[1].x", "p[1].y", "n"])
        #expect(t.value(sample: 0, "p[1].x") == .float(3))
        #expect(t.value(sample: 0, "n") == .uint(5))
    }
}

@Suite struct ReaderTruncationTests {
    /// A log cut anywhere after its definitions reads without error; it holds exactly the data messages that
    /// ended before the cut.
    @Test func everyCutPointIsReadable() throws {
        let log = try SampleMemoryLog(samples: 8)
        var previous = -1
        for cut in log.definitionsEnd...log.bytes.count {
            let f = try ULogReader.parse(Array(log.bytes[0..<cut]))
            let complete = log.dataMessages.filter { $0.offset + $0.length <= cut }.count
            let got = f.topics.reduce(0) { $0 + $1.sampleCount }
            #expect(got == complete, "cut at \(cut)")
            #expect(got >= previous)
            previous = got
            let endsOnBoundary = cut == log.bytes.count || f.truncation == nil
            if !endsOnBoundary { #expect(f.truncation?.offset ?? 0 < cut) }
        }
    }

    @Test func cutInsideMessageReportsTruncation() throws {
        let log = try SampleMemoryLog(samples: 4)
        let last = try #require(log.dataMessages.last)
        let f = try ULogReader.parse(Array(log.bytes[0..<(last.offset + 5)]))
        #expect(f.truncation == ULogTruncation(offset: last.offset, missingBytes: last.length - 5, zeroFilled: false))
    }

    @Test func zeroFilledTailIsTruncationNotCorruption() throws {
        let log = try SampleMemoryLog(samples: 4)
        let f = try ULogReader.parse(log.bytes + [UInt8](repeating: 0, count: 4096))
        #expect(f.truncation == ULogTruncation(offset: log.bytes.count, missingBytes: 0, zeroFilled: true))
        #expect(f.topic("vehicle_attitude")?.sampleCount == 4)
    }
}

@Suite struct ReaderCorruptionTests {
    func definitionsAndFirstData() throws -> (bytes: [UInt8], firstData: Int) {
        let log = try SampleMemoryLog(samples: 3)
        return (log.bytes, try #require(log.dataMessages.first).offset)
    }

    @Test func badMagicAndShortFile() {
        #expect(throws: ULogReadError.notULog(reason: "only 5 bytes, the header alone is 16")) {
            try ULogReader.parse([0x55, 0x4C, 0x6F, 0x67, 1])
        }
        var b = [UInt8](repeating: 0, count: 16)
        b[0] = 0x50
        #expect(throws: ULogReadError.notULog(reason: "the first 7 bytes are not the ULog magic")) { try ULogReader.parse(b) }
    }

    @Test func dataForUnknownMessageIdNamesOffset() throws {
        var (b, first) = try definitionsAndFirstData()
        b[first + 3] = 0x77  // msg_id low byte
        #expect(throws: ULogReadError.unknownSubscription(offset: first, messageId: 0x77)) { try ULogReader.parse(b) }
    }

    @Test func dataSizeMismatchNamesTopic() throws {
        var (b, first) = try definitionsAndFirstData()
        // Shrink the first message by 4 bytes and drop them from the payload (the file stays framed).
        let size = Int(b[first]) | Int(b[first + 1]) << 8
        b[first] = UInt8((size - 4) & 0xFF)
        b.removeSubrange((first + 3 + size - 4)..<(first + 3 + size))
        #expect(throws: ULogReadError.dataSizeMismatch(offset: first, topic: "vehicle_attitude", expected: 49, actual: 45)) {
            try ULogReader.parse(b)
        }
    }

    @Test func garbageTypeByteIsCorruptHeader() throws {
        var (b, first) = try definitionsAndFirstData()
        b[first + 2] = 0x07
        #expect(throws: ULogReadError.corruptMessageHeader(offset: first, type: 0x07, size: 49 + 2)) { try ULogReader.parse(b) }
    }

    @Test func unknownLetterTypeIsSkipped() throws {
        var (b, first) = try definitionsAndFirstData()
        b.insert(contentsOf: [2, 0, 0x7A, 1, 2], at: first)  // 'z', a type from the future
        let f = try ULogReader.parse(b)
        #expect(f.topic("vehicle_attitude")?.sampleCount == 3)
    }

    @Test func subscriptionToUndefinedFormat() throws {
        var b = encodeMessage { ULogMessageEncoder.fileHeader(timestampUs: 0, into: &$0) }
        let at = b.count
        b += encodeMessage { ULogMessageEncoder.addSubscription(messageId: 0, multiId: 0, name: "ghost", into: &$0) }
        #expect(throws: ULogReadError.unknownFormat(offset: at, type: 0x41, name: "ghost")) { try ULogReader.parse(b) }
    }

    @Test func malformedFormatAndInfo() throws {
        var b = encodeMessage { ULogMessageEncoder.fileHeader(timestampUs: 0, into: &$0) }
        let at = b.count
        b += [5, 0, 0x46] + Array("abcde".utf8)
        #expect(throws: ULogReadError.self) { try ULogReader.parse(b) }
        do { _ = try ULogReader.parse(b) } catch {
            #expect(error.offset == at)
            #expect(error.description.hasPrefix("offset 16: 'F' message:"))
        }
        var i = encodeMessage { ULogMessageEncoder.fileHeader(timestampUs: 0, into: &$0) }
        i += [4, 0, 0x49, 40, 0x61, 0x62, 0x63]  // key length 40 in a 4-byte payload
        #expect(throws: ULogReadError.malformedMessage(offset: 16, type: 0x49, reason: "key length 40 exceeds the payload of 4 bytes")) {
            try ULogReader.parse(i)
        }
    }

    @Test func unknownIncompatibleFlagIsRefused() {
        var b = encodeMessage { ULogMessageEncoder.fileHeader(timestampUs: 0, into: &$0) }
        var flags = encodeMessage { ULogMessageEncoder.flagBits(into: &$0) }
        flags[3 + 8] = 0x02
        b += flags
        #expect(throws: ULogReadError.unsupportedIncompatibleFlags(offset: 16, flags: [2, 0, 0, 0, 0, 0, 0, 0])) {
            try ULogReader.parse(b)
        }
    }

    /// PX4 sets the appended-data flag and offsets when it appends data after the log was closed; the main stream
    /// may end inside a message. Both parts are read.
    @Test func appendedDataRegionIsRead() throws {
        var r = ULogTopicRegistry()
        let h = try r.register(Airspeed.self)
        let defs = try ULogDefinitions(startTimestampUs: 0, info: [], parameters: [], registry: r).encoded()
        func sample(_ t: UInt64) -> [UInt8] {
            var a = Airspeed(); a.timestampUs = t
            return encodeMessage { ULogMessageEncoder.data(a, messageId: h.messageId, into: &$0) }
        }
        // header (16) + flag bits (43) come first in `defs`; rebuild the flag bits with the flag and an offset.
        var main = Array(defs[0..<16])
        let rest = Array(defs[(16 + 43)...])
        let mainLength = 16 + 43 + rest.count + sample(1).count + 7
        var flags = encodeMessage { ULogMessageEncoder.flagBits(into: &$0) }
        flags[3 + 8] = 0x01
        flags.replaceSubrange((3 + 16)..<(3 + 24), with: le(UInt64(mainLength)))
        main += flags + rest + sample(1) + Array(sample(2).prefix(7))
        #expect(main.count == mainLength)
        let f = try ULogReader.parse(main + sample(3))
        #expect(f.topic("airspeed")?.sampleCount == 2)
        #expect(f.topic("airspeed")?.timestampUs(sample: 1) == 3)
        #expect(f.truncation == nil)
    }

    @Test func salvageKeepsDataBeforeCorruption() throws {
        let log = try SampleMemoryLog(samples: 6)
        var b = log.bytes
        let third = log.dataMessages[4].offset  // third attitude sample
        b[third + 2] = 0x01
        let f = try ULogReader.parse(b, mode: .salvage)
        #expect(f.corruption == .corruptMessageHeader(offset: third, type: 1, size: 51))
        #expect(f.topic("vehicle_attitude")?.sampleCount == 2)
    }

    /// Random damage after a valid header never crashes the reader: it returns or throws a typed error.
    @Test func randomBytesNeverCrash() async throws {
        let log = try SampleMemoryLog(samples: 4)
        await propertyCheck(count: 300, input: Gen.int(in: 16...(log.bytes.count - 1)), Gen.uint8(in: 0...255),
                            Gen.int(in: 0...log.bytes.count)) { at, value, cut in
            var b = log.bytes
            b[at] = value
            b = Array(b.prefix(max(16, cut)))
            do { _ = try ULogReader.parse(b) } catch let error as ULogReadError {
                #expect(error.offset >= 0 && error.offset < b.count)
            } catch {
                #expect(Bool(false), "untyped error \(error)")
            }
        }
    }
}

@Suite struct ReportTests {
    @Test func csvHasTimestampFirstAndExactValues() throws {
        let f = try ULogReader.parse(try SampleMemoryLog(samples: 3).bytes)
        let csv = try ULogCSVExporter.csv(f, topic: "actuator_outputs")
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("timestamp,noutputs,output[0],output[1],output[2]"))
        #expect(lines[2].hasPrefix("11000,2,1001.0,-1.0,0.0,"))
        #expect(throws: ULogExportError.self) { try ULogCSVExporter.csv(f, topic: "nope") }
    }

    @Test func infoReportListsTopicsCountsAndParams() throws {
        let f = try ULogReader.parse(try SampleMemoryLog(samples: 11).bytes)
        let text = ULogInfoReport.render(f, fileName: "x.ulg", verbose: true)
        #expect(text.contains("sys_name: Kestrel"))
        #expect(text.contains("Duration: 0:00:00 (0.015 s, last timestamp 20000 us)"))
        #expect(text.contains("Dropouts: 1, total 12 ms, longest 12 ms"))
        // 11 samples over 10 ms -> 1000 Hz
        let line = text.split(separator: "\n").first { $0.hasPrefix("  vehicle_attitude ") }
        #expect(line?.split(separator: " ") == ["vehicle_attitude", "0", "11", "49", "1000.0", "Hz"])
        #expect(text.contains("FW_P_TC = 0.4"))
        #expect(text.contains("changed at 19000 us: FW_P_TC = 0.5"))
        #expect(text.contains("ERROR tag 42: tagged"))
        #expect(ULogInfoReport.fixed(-0.0004, 3) == "0.000")
        #expect(ULogInfoReport.fixed(2.5, 1) == "2.5")
    }
}
