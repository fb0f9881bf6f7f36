import Testing
@testable import FlightLog
import Foundation

@Suite struct FileTests {
    func tempDir(_ name: String) -> String {
        let p = NSTemporaryDirectory() + "kestrel-flightlog-\(name)-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.removeItem(atPath: p)
        return p
    }

    func touch(_ path: String, bytes: Int, mtime: TimeInterval) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(count: bytes))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: mtime)], ofItemAtPath: path)
    }

    @Test func utcStampsMatchKnownDates() {
        #expect(FlightLogDirectory.utcStamp(0) == "1970-01-01_00-00-00")
        #expect(FlightLogDirectory.utcStamp(951_782_400) == "2000-02-29_00-00-00")      // leap day
        #expect(FlightLogDirectory.utcStamp(1_700_000_000) == "2023-11-14_22-13-20")
        #expect(FlightLogDirectory.utcStamp(4_102_444_799) == "2099-12-31_23-59-59")
        #expect(FlightLogDirectory.utcStamp(-1) == "1969-12-31_23-59-59")
    }

    @Test func logNamesAreRecognised() {
        #expect(FlightLogDirectory.isLogName("kestrel_2026-11-21_10-00-00.ulg"))
        #expect(FlightLogDirectory.isLogName("kestrel_2026-11-21_10-00-00_2.ulg"))
        #expect(FlightLogDirectory.isLogName("log_007.ulg"))
        #expect(!FlightLogDirectory.isLogName("notes.txt"))
        #expect(!FlightLogDirectory.isLogName("kestrel_2026-11-21.ulg"))
        #expect(FlightLogDirectory.sequenceNumber("log_1234.ulg") == 1234)
    }

    @Test func namingPicksUnusedNames() throws {
        let dir = FlightLogDirectory(path: tempDir("naming"))
        try dir.create()
        #expect(try dir.newLogName(.sequential) == "log_001.ulg")
        try touch(dir.path + "/log_009.ulg", bytes: 1, mtime: 1)
        #expect(try dir.newLogName(.sequential) == "log_010.ulg")
        #expect(try dir.newLogName(.dated(utcSeconds: 1_700_000_000)) == "kestrel_2023-11-14_22-13-20.ulg")
        try touch(dir.path + "/kestrel_2023-11-14_22-13-20.ulg", bytes: 1, mtime: 2)
        #expect(try dir.newLogName(.dated(utcSeconds: 1_700_000_000)) == "kestrel_2023-11-14_22-13-20_1.ulg")
    }

    @Test func rotationKeepsNewestWithinCountAndSize() throws {
        let dir = FlightLogDirectory(path: tempDir("rotate"))
        try dir.create()
        for k in 1...5 { try touch(dir.path + "/log_00\(k).ulg", bytes: 1_000 * k, mtime: TimeInterval(1_000 + k)) }
        try touch(dir.path + "/keep.txt", bytes: 10, mtime: 1)
        // At most 3 logs including the new one: the three oldest go.
        #expect(try dir.rotate(maxLogCount: 3, maxTotalBytes: nil, reserveBytes: 0) == ["log_001.ulg", "log_002.ulg", "log_003.ulg"])
        #expect(try dir.logs().map(\.name) == ["log_004.ulg", "log_005.ulg"])
        // 4000 + 5000 + reserve 2000 > 10 000: the oldest goes.
        #expect(try dir.rotate(maxLogCount: 10, maxTotalBytes: 10_000, reserveBytes: 2_000) == ["log_004.ulg"])
        #expect(FileManager.default.fileExists(atPath: dir.path + "/keep.txt"))
    }

    func definitions(_ start: UInt64 = 1_000) throws -> (ULogDefinitions, ULogTopicHandle<Airspeed>) {
        var r = ULogTopicRegistry()
        let h = try r.register(Airspeed.self)
        let d = ULogDefinitions(startTimestampUs: start,
                                info: ULogDefinitions.kestrelInfo(softwareVersion: "t", vehicleId: "v", board: "b", airframe: "a"),
                                parameters: [("P", .int32(1))], registry: r)
        return (d, h)
    }

    func airspeed(_ t: UInt64) -> Airspeed { var a = Airspeed(); a.timestampUs = t; a.trueAirspeedMps = Float(t / 1000); return a }

    /// What is on disk at any moment (without `finish`) is a readable log holding every flushed block: the state
    /// a crash or power loss leaves.
    @Test func flushedBlocksAreReadableBeforeClose() throws {
        let (defs, h) = try definitions()
        let ring = try SPSCRecordRing(slotCount: 256, recordCapacityBytes: 64)
        let producer = ULogProducer(ring: ring)
        let session = try ULogSession(configuration: FlightLogConfiguration(directory: tempDir("crash"), blockBytes: 1024,
                                                                           flushIntervalUs: 1_000_000),
                                      naming: .sequential, definitions: defs, rings: [ring])
        for k in 0..<100 { producer.log(airspeed(2_000 + UInt64(k) * 1_000), to: h) }
        try session.pump(nowUs: 102_000)  // interval not elapsed: only full blocks are on disk
        let onDisk = try ULogReader.parse(try readFlightLogFile(path: session.path))
        let count = onDisk.topic("airspeed")?.sampleCount ?? -1
        #expect(count > 0 && count < 100)
        #expect(session.stats.bytesOnDisk == (try readFlightLogFile(path: session.path)).count)
        try session.finish(nowUs: 200_000)
        let closed = try ULogReader.parse(try readFlightLogFile(path: session.path))
        #expect(closed.topic("airspeed")?.sampleCount == 100)
        #expect(closed.topic("airspeed")?.value(sample: 99, "true_airspeed_m_s") == .float(101))
        #expect(closed.truncation == nil)
        // A sync opens every block after the first; the last flush has no block after it.
        #expect(closed.syncCount == session.stats.flushes - 1)
        #expect(closed.infoValue("sys_name") == .string("Kestrel"))
    }

    @Test func sizeCapStopsTheLogWithANotice() throws {
        let (defs, h) = try definitions()
        let ring = try SPSCRecordRing(slotCount: 1024, recordCapacityBytes: 64)
        let producer = ULogProducer(ring: ring)
        let cap = 4_096
        let session = try ULogSession(configuration: FlightLogConfiguration(directory: tempDir("cap"), maxFileBytes: cap,
                                                                           blockBytes: 512),
                                      naming: .sequential, definitions: defs, rings: [ring])
        for k in 0..<500 { producer.log(airspeed(2_000 + UInt64(k) * 1_000), to: h) }
        try session.finish(nowUs: 600_000)
        let bytes = try readFlightLogFile(path: session.path)
        #expect(bytes.count <= cap)
        #expect(session.stats.sizeCapReached)
        let f = try ULogReader.parse(bytes)
        let kept = f.topic("airspeed")?.sampleCount ?? 0
        #expect(kept > 0 && kept == session.stats.recordsWritten)
        #expect(kept + session.stats.recordsDiscardedAtCap == 500)
        #expect(f.loggedMessages.last?.text == "log size cap of 4096 bytes reached; logging stopped")
    }

    @Test func sessionRotatesOldLogsAndNeverOverwrites() throws {
        let path = tempDir("session-rotate")
        let (defs, _) = try definitions()
        let config = FlightLogConfiguration(directory: path, maxLogCount: 2)
        var names: [String] = []
        for k in 0..<3 {
            let ring = try SPSCRecordRing(slotCount: 4, recordCapacityBytes: 64)
            let s = try ULogSession(configuration: config, naming: .sequential, definitions: defs, rings: [ring])
            try s.finish(nowUs: 5_000)
            names.append(String(s.path.split(separator: "/").last ?? ""))
            // distinct modification times for the rotation order
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(100 + k))],
                                                  ofItemAtPath: s.path)
        }
        #expect(names == ["log_001.ulg", "log_002.ulg", "log_003.ulg"])
        #expect(try FlightLogDirectory(path: path).logs().map(\.name) == ["log_002.ulg", "log_003.ulg"])
    }

    /// Two producers (real-time and telemetry threads) each own a ring; the session drains both.
    @Test func sessionDrainsEveryRing() throws {
        let (defs, h) = try definitions()
        let rt = try SPSCRecordRing(slotCount: 8, recordCapacityBytes: 64)
        let other = try SPSCRecordRing(slotCount: 8, recordCapacityBytes: 64)
        let session = try ULogSession(configuration: FlightLogConfiguration(directory: tempDir("rings")),
                                      naming: .dated(utcSeconds: 1_700_000_000), definitions: defs, rings: [rt, other])
        #expect(session.path.hasSuffix("/kestrel_2023-11-14_22-13-20.ulg"))
        let rtProducer = ULogProducer(ring: rt), otherProducer = ULogProducer(ring: other)
        for k in 0..<10 { rtProducer.log(airspeed(2_000 + UInt64(k) * 1_000), to: h) }  // 2 lost: ring holds 8
        otherProducer.logParameterChange(name: "P", value: .int32(2), nowUs: 3_000)
        otherProducer.log(.notice, "from telemetry", timestampUs: 3_000)
        try session.finish(nowUs: 20_000)
        #expect(session.stats.droppedInRings == 2)
        let f = try ULogReader.parse(try readFlightLogFile(path: session.path))
        #expect(f.topic("airspeed")?.sampleCount == 8)
        #expect(f.changedParameters.map(\.name) == ["P"])
        #expect(f.loggedMessages.map(\.text) == ["from telemetry"])
    }

    @Test func unwritableDirectoryIsATypedError() throws {
        let (defs, _) = try definitions()
        #expect(throws: FlightLogFileError.self) {
            _ = try ULogSession(configuration: FlightLogConfiguration(directory: "/proc/kestrel-no-such-dir"),
                                naming: .sequential, definitions: defs, rings: [])
        }
    }
}
