@testable import Vehicle
@testable import FlightRuntime
@testable import SITL
import FlightLog
import Foundation
@testable import Mission
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Operator commands on a flying stack (refused and accepted) and what the flight log says about them: the mode
/// transitions and the gate's rejection as text messages, read back with the FlightLog reader.
@Suite struct EventTextLoggingTests {
    @Test func refusalsAreValuesAndTheLogReadsAsBefore() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/demo.toml")
        let sitl = try SITLRun(scenario: scenario)
        sitl.run(durationS: 30)
        #expect(sitl.stack.mode == .mission)
        let dir = NSTemporaryDirectory() + "kestrel-events-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var t = sitl.vehicle.timeUs
        let logger = try FlightLogger(
            setup: FlightLoggerSetup(directory: dir, softwareVersion: "test", vehicleId: "1", board: "sitl",
                                     airframe: "a", startUnixSeconds: 1_700_000_000),
            startUs: t)
        sitl.stack.publishOutput(nowUs: t)
        logger.startAfter(sitl.stack.output)
        logger.record(sitl.stack.output)

        #expect(sitl.stack.handle(.arm, nowUs: t) == .arming(.notDisarmed))
        #expect(sitl.stack.handle(.disarm, nowUs: t) == .disarmWhileFlying)
        // Already flying the mission: accepted as a no-op, nothing logged.
        #expect(sitl.stack.handle(.startMission, nowUs: t) == nil)
        // Not loitering over the designation: the gate rejects the request and records why.
        #expect(sitl.stack.handle(.requestTerminal, nowUs: t) == .terminalRejected(.notLoiteringOverDesignation))
        // Flying: no mission change, and the one offered stays with the caller.
        var offered = PreparedMission.none
        #expect(sitl.stack.installMission(&offered) == .missionChangeWhileArmed)
        #expect(sitl.stack.machine != nil && offered.file == nil)
        #expect(sitl.stack.handle(.holdHere, nowUs: t) == nil)
        #expect(sitl.stack.mode == .loiter)
        t += 2_500
        sitl.stack.publishOutput(nowUs: t)
        logger.record(sitl.stack.output)
        #expect(sitl.stack.handle(.startMission, nowUs: t) == nil)
        t += 2_500
        sitl.stack.publishOutput(nowUs: t)
        logger.record(sitl.stack.output)
        logger.finish()
        #expect(logger.failure == nil)

        let log = try ULogReader.parse(try readFlightLogFile(path: logger.path))
        let texts = log.loggedMessages.map(\.text)
        // A log opened mid-flight holds the events of the ticks it records, each tick's transitions first, then
        // the gate's records; nothing from before it, and no missed polls at its head.
        #expect(texts == [
            "mode mission -> loiter: operator: hold",
            "gate requestTerminal: rejected (vehicle is not loitering over the designation)",
            "mode loiter -> mission: mission started",
        ])
        let rejection = log.loggedMessages.first { $0.text.hasPrefix("gate requestTerminal") }
        #expect(rejection?.levelName == "WARNING")
    }

    @Test func gateTextNamesFailureExitAndKey() {
        var r = GateLogRecord(
            timeUs: 1, vehicleTimeUs: 2, event: .approval, outcome: .terminalLeft, rejection: nil,
            exitReason: .failure(.gps), failsafe: .loiter, failure: .gps, keyID: OperatorKeyID(rawValue: 0xAB),
            requestSequence: 3, stateBefore: .idle, stateAfter: .idle)
        #expect(FlightLogger.gateText(r).string
                == "gate approval: terminalLeft [GPS failure] (GPS failure), operator key ab00000000000000")
        r.rejection = .expired
        r.failure = nil
        r.exitReason = nil
        r.keyID = .none
        r.outcome = .rejected
        #expect(FlightLogger.gateText(r).string == "gate approval: rejected (arrived after the request expired)")
    }
}
