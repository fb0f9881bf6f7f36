import Estimation
import FlightLog
import Foundation
import Testing
import Vehicle
import SITL
import LogReplay

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// One closed-loop SITL flight of the demo with a flight log: 40 s covers alignment, GPS origin, catapult launch
/// (8 s) and climb-out, so the filter sees every phase that matters for replay. Written once for the suite.
private let sharedLog: Result<String, any Error> = Result {
    let dir = NSTemporaryDirectory() + "kestrel-replay-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let summary = try ClosedLoopRun.run(scenarioPath: "\(root)/Scenarios/demo.toml", durationS: 40,
                                        logDirectory: dir)
    guard let path = summary.logPath, summary.logError == nil else {
        throw LogReplayError.cannotRead(path: dir, reason: summary.logError ?? "no log written")
    }
    return path
}

private func logPath() throws -> String { try sharedLog.get() }

@Suite(.serialized) struct LogReplayTests {
    @Test func replayReproducesTheLoggedEstimate() throws {
        let r = try LogReplay.run(path: try logPath())
        // 40 s at 400 Hz, logged from the first poll.
        #expect(r.inputs.imuCount >= 15_990)
        // The BMP280 converts at 26.3 Hz (1 052 conversions in 40 s) and the driver drops a read whose raw value
        // repeats the last one (`BMP280.readNew`), so the baro count depends on the flight. Behind the chip's IIR
        // filter (×16) a code moves by a sixteenth of the input's change and repeats often at rest before the launch:
        // 896 here (about 1 000 without the filter), never near 800.
        #expect(r.inputs.gpsCount > 100 && r.inputs.baroCount > 800 && r.inputs.airspeedCount > 1_000)
        #expect(r.inputs.startsWithFilter && r.inputs.imuGaps == 0)
        // 50 Hz estimates over the flight, all at the logged sample times.
        #expect(r.differences.count >= 1_990)
        #expect(r.differences.allSatisfy { !$0.sampleTimeMismatch })
        #expect(r.differences.contains { $0.globalHorizontalM != nil })
        // Sensor values travel as float32 (PX4's types) while the filter runs in doubles: the replay sees inputs
        // rounded by < 6e-8 relative. Estimates must agree far below anything a tuning change moves.
        for s in r.statistics where s.count > 0 {
            let bound = s.unit == "deg" ? 1e-3 : 1e-3
            #expect(s.max < bound, "\(s.name): max \(s.max) \(s.unit)")
        }
        // The flight got somewhere: the comparison is over a moving, navigating vehicle.
        #expect(r.finalState.phase == .navigating)
        #expect(r.finalState.velocityNEDMps.norm > 10)
    }

    /// With the magnetometer fused (`EKF_USE_MAG 1`) its samples are logged as `sensor_mag` and fed again in the
    /// stack's order, so such a flight replays as exactly as one without. (Before they were logged, this replay
    /// ran the filter without them and its heading and attitude drifted from the logged ones.)
    @Test func magnetometerFlightReplaysExactly() throws {
        let dir = NSTemporaryDirectory() + "kestrel-replay-mag-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/demo.toml")
        try scenario.parameters.set("EKF_USE_MAG", to: 1)
        let summary = try ClosedLoopRun.run(scenario, durationS: 40, logDirectory: dir)
        let path = try #require(summary.logPath)
        let r = try LogReplay.run(path: path)
        #expect(r.configuration.config.useMagnetometer)
        #expect(r.inputs.magCount > 1_000)  // 100 Hz from the first poll
        for s in r.statistics where s.count > 0 {
            #expect(s.max < 1e-3, "\(s.name): max \(s.max) \(s.unit)")
        }
    }

    @Test func twoReplaysAreBitIdentical() throws {
        let a = try LogReplay.run(path: try logPath())
        let b = try LogReplay.run(path: try logPath())
        #expect(a.differences == b.differences)
        #expect(a.finalState == b.finalState)
    }

    @Test func differentParametersShowADifference() throws {
        let path = try logPath()
        // A 10x larger GPS position noise floor weights GPS less: the position estimate moves by metres.
        let r = try LogReplay.run(path: path, overrides: [("EKF_GPS_P_N_MIN", 5.0)])
        let stats = Dictionary(r.statistics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect((stats["horizontal position"]?.max ?? 0) > 0.05)
        #expect(r.configuration.config.gpsPositionNoiseMinM == 5.0)
        // And a gyro noise change moves the attitude.
        let g = try LogReplay.run(path: path, overrides: [("EKF_GYR_N_DENS", 0.03)])
        let gs = Dictionary(g.statistics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect((gs["roll"]?.max ?? 0) > 0.01 || (gs["pitch"]?.max ?? 0) > 0.01)
    }

    @Test func configurationComesBackFromTheLog() throws {
        let data = try readFlightLogFile(path: try logPath())
        let log = try ULogReader.parse(data)
        let c = try ReplayConfiguration(log: log, path: "log", base: nil, overrides: [])
        let airframe = try AirframeParameters.load(airframePath: "\(root)/Hardware/airframes/kestrel-2m.toml")
        #expect(c.config == airframe.settings.estimation)
        // The log carries every airframe tunable under the ground link's names.
        #expect(Set(log.initialParameters.map(\.key)) == Set(airframe.parameters.map(\.name)))
    }

    /// Every stored property of the filter's configuration is a parameter (one per vector component), or a log
    /// would not carry a setting the replay needs.
    @Test func parametersCoverTheConfiguration() throws {
        let properties = Mirror(reflecting: NavigationFilterConfig()).children.compactMap(\.label)
        let airframe = try AirframeParameters.load(airframePath: "\(root)/Hardware/airframes/kestrel-2m.toml")
        let keys = Set(airframe.parameters.filter { $0.path.first == "estimation" }.map(\.key))
        #expect(keys.count == properties.count)
        // And an override is validated like the airframe file: out of range is refused.
        let log = try ULogReader.parse(try readFlightLogFile(path: try logPath()))
        #expect(throws: LogReplayError.self) {
            _ = try ReplayConfiguration(log: log, path: "log", overrides: [("EKF_GPS_P_N_MIN", -1)])
        }
        #expect(throws: LogReplayError.self) {
            _ = try ReplayConfiguration(log: log, path: "log", overrides: [("TECS_HGT_TC", 5)])
        }
    }

    @Test func badInputIsATypedError() throws {
        let dir = NSTemporaryDirectory() + "kestrel-replay-bad-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(throws: LogReplayError.self) { try LogReplay.run(path: dir + "/missing.ulg") }

        let bytes = try readFlightLogFile(path: try logPath())
        let cut = dir + "/cut.ulg"
        FileManager.default.createFile(atPath: cut, contents: Data(bytes.prefix(bytes.count / 2 + 7)))
        do {
            _ = try LogReplay.run(path: cut)
            Issue.record("a truncated log replayed")
        } catch {
            guard case .truncated = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("cut.ulg"))
        }

        let junk = dir + "/junk.ulg"
        FileManager.default.createFile(atPath: junk, contents: Data("not a log".utf8))
        do { _ = try LogReplay.run(path: junk); Issue.record("junk replayed") } catch {
            guard case .notULog = error else { Issue.record("\(error)"); return }
        }

        let log = try ULogReader.parse(try readFlightLogFile(path: try logPath()))
        #expect(throws: LogReplayError.unknownParameter(name: "EKF2_GPS_P_NOISE")) {
            _ = try ReplayConfiguration(log: log, path: "log",
                                        overrides: [try ReplayConfiguration.parseOverride("EKF2_GPS_P_NOISE=1")])
        }
        #expect(throws: LogReplayError.self) { _ = try ReplayConfiguration.parseOverride("EKF_GPS_P_N_MIN=abc") }
        #expect(throws: LogReplayError.self) { _ = try ReplayConfiguration.parseOverride("EKF_GPS_P_N_MIN") }
    }

    @Test func logWithoutSensorTopicsIsRefused() throws {
        // A log from before sensor logging: the same formats minus sensor_combined's data.
        var registry = ULogTopicRegistry()
        _ = try registry.register(VehicleAttitude.self)
        let defs = ULogDefinitions(startTimestampUs: 0, info: [], parameters: [], registry: registry)
        let log = try ULogReader.parse(try defs.encoded())
        #expect(throws: LogReplayError.missingTopic(path: "old.ulg", topic: "sensor_combined")) {
            _ = try LogReplay.run(log, path: "old.ulg")
        }
    }
}
