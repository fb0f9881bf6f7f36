import DeviceIO
import FlightLog
import FlightMath
import Foundation
import Mission
import Simulation
import FlightRuntime
import Vehicle

/// What a closed-loop run did, for the terminal and for tests.
public struct ClosedLoopSummary: Sendable {
    public var scenarioPath: String
    public var seed: UInt64
    public var simulatedS: Double
    public var wallS: Double
    public var metrics: FlightMetrics
    public var finalMode: FlightMode
    public var itemsCompleted: Int
    public var planComplete: Bool
    /// The touchdown the plant called a crash, where the run ended; nil if there was none.
    public var crash: TouchdownEvent?
    public var crashed: Bool { crash != nil }
    public var meanTickUs: Double
    public var maxTickUs: Double
    public var trajectoryPath: String?
    public var missionError: String?
    /// Mode transitions with their reasons.
    public var transitions: [ModeTransition] = []
    /// The approval gate's audit trail (requests, approvals, rejections with reasons, wave-offs, failures).
    public var gateEvents: [GateLogRecord] = []
    /// Closest horizontal approach to the designated point during the terminal phase, and the height there (m).
    public var terminalClosestApproachM: Double?
    public var terminalHeightAtClosestM: Double?
    /// Operator commands the vehicle refused.
    public var refusals: [(timeS: Double, text: String)] = []
    /// What the output stage met on the servo board: failed writes, resets found and configured again.
    public var outputs = OutputCounts()
    /// What the sensor task read (failures, chips found reset and configured again, …).
    public var sensors = SensorReadCounters()
    /// The run's ULog (the first, if the vehicle flew more than once), its size and records written, or why it
    /// could not be written.
    public var logPath: String?
    public var logStats: FlightLogWriter.Closed?
    public var logError: String?

    /// Modes and gate decisions in time order, one line each.
    public var timeline: [String] {
        func t(_ us: UInt64) -> String { String(format: "%7.1f s", Double(us) * 1e-6) }
        var entries: [(UInt64, String)] = transitions.map { ($0.timeUs, "mode \($0.from) -> \($0.to): \($0.reason)") }
        for g in gateEvents where g.event != .tick || g.outcome != .none {
            var text = "gate \(g.event): \(g.outcome)"
            if let f = g.failure { text += " [\(f)]" }
            if let r = g.rejection { text += " (\(r))" }
            if let e = g.exitReason { text += " (\(e))" }
            if g.keyID != .none { text += ", operator key \(g.keyID)" }
            if g.requestSequence > 0 { text += ", request #\(g.requestSequence)" }
            entries.append((g.vehicleTimeUs, text))
        }
        for r in refusals { entries.append((UInt64(r.timeS * 1e6), "refused: \(r.text)")) }
        return entries.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map { "\(t($0.element.0))  \($0.element.1)" }
    }

    public var report: String {
        let m = metrics
        func f(_ x: Double, _ d: Int = 2) -> String { x.isFinite ? String(format: "%.\(d)f", x) : "n/a" }
        var lines = [
            "closed loop: \(scenarioPath), seed \(seed): \(f(simulatedS, 1)) s simulated, final mode \(finalMode), "
                + "\(itemsCompleted) plan items done\(planComplete ? " (plan complete)" : "")"
                + (crash.map {
                    String(format: ", CRASHED at %.1f s (%.1f m/s over the ground, %.1f m/s down): the run ended there",
                           $0.timeS, $0.impactSpeedMps, $0.verticalSpeedMps)
                } ?? ""),
            "  cross-track on straight legs: RMS \(f(m.crossTrackM.rms)) m, max \(f(m.crossTrackM.maxAbs)) m "
                + "(\(m.crossTrackM.count) samples)",
            "  loiter radius error: RMS \(f(m.loiterRadiusM.rms)) m, max \(f(m.loiterRadiusM.maxAbs)) m",
            "  altitude error: RMS \(f(m.altitudeM.rms)) m, max \(f(m.altitudeM.maxAbs)) m; "
                + "airspeed error: RMS \(f(m.airspeedMps.rms)) m/s, max \(f(m.airspeedMps.maxAbs)) m/s",
            "  navigation origin's height error (GPS at its first fix; inside the altitude error): "
                + "\(f(m.originHeightErrorM ?? .nan)) m",
            "  control effort: pitch setpoint σ \(f(m.effort.pitchSetpointDeg.standardDeviation))°, rate RMS "
                + "\(f(m.effort.pitchSetpointRateDegps.rms, 1))°/s, on its limits \(f(m.effort.pitchLimitedFraction * 100, 1)) % "
                + "of the time; throttle σ \(f(m.effort.throttle.standardDeviation, 3)), "
                + "\(f(m.effort.throttleActivityPerS, 3)) full ranges/s; most-travelled surface "
                + "\(f(m.effort.maxSurfaceTravelDegPerMin, 0))°/min",
            "  estimator vs truth from \(f(m.estimatorSettleS, 0)) s after launch (RMS): roll \(f(m.rollDeg.rms))°, pitch \(f(m.pitchDeg.rms))°, "
                + "heading \(f(m.headingDeg.rms))°, horizontal position \(f(m.horizontalPositionM.rms)) m, "
                + "height \(f(m.heightM.rms)) m (mean \(f(m.heightM.mean))), velocity \(f(m.velocityMps.rms)) m/s",
            "  height in flight: min \(f(m.minHeightM, 1)) m, max \(f(m.maxHeightM, 1)) m",
            "  wall \(f(wallS)) s: sim/wall \(f(simulatedS / max(wallS, 1e-9), 1))×; flight stack tick mean "
                + "\(f(meanTickUs, 1)) µs, max \(f(maxTickUs, 1)) µs (host)",
        ]
        if outputs.reconfigurations + sensors.imuReconfigurations + sensors.baroReconfigurations > 0 {
            lines.append("  chips found reset and configured again: IMU \(sensors.imuReconfigurations), barometer "
                         + "\(sensors.baroReconfigurations), servo board \(outputs.reconfigurations)")
        }
        if outputs.writeFailures > 0 { lines.append("  outputs: \(outputs.writeFailures) failed writes") }
        if let missionError { lines.append("  mission error: \(missionError)") }
        if let d = terminalClosestApproachM, let h = terminalHeightAtClosestM {
            lines.append("  terminal approach: closest to the designated point \(f(d, 1)) m horizontally, at \(f(h, 1)) m above it")
        }
        if !transitions.isEmpty {
            lines.append("  timeline:")
            lines += timeline.map { "    " + $0 }
        }
        if let trajectoryPath { lines.append("  trajectory: \(trajectoryPath)") }
        if let logPath {
            let size = logStats.map { " (\($0.bytesOnDisk) bytes, \($0.recordsWritten) records"
                + ($0.droppedInRing > 0 ? ", \($0.droppedInRing) dropped" : "") + ")" } ?? ""
            lines.append("  flight log: \(logPath)\(size)")
        }
        if let logError { lines.append("  flight log error: \(logError)") }
        return lines.joined(separator: "\n")
    }
}

/// The plant's simulated time as the host's log side reads it (the emulators' clock can run ahead of it: the
/// drivers' bring-up waits on it before the first step).
private final class PlantClock: MonotonicClock, @unchecked Sendable {
    unowned let run: SITLRun
    init(_ run: SITLRun) { self.run = run }
    func nowUs() -> UInt64 { run.vehicle.timeUs }
    func sleep(durationUs: UInt64) {}
}

/// `kestrel sim` for scenarios with a `[mission]`: loads, flies and summarises one closed-loop run.
public enum ClosedLoopRun {
    public static let csvHeader = TrajectoryCSV.header
        + ",mode,item,roll_sp_deg,pitch_sp_deg,throttle_cmd,height_sp_m,airspeed_sp_mps,est_north_m,est_east_m,"
        + "est_height_m,est_roll_deg,est_pitch_deg,est_yaw_deg,xtrack_m"

    public static func run(scenarioPath: String, seed: UInt64? = nil, durationS: Double? = nil,
                           trajectoryCSVPath: String? = nil, csvRateHz: Double = 10,
                           realtime: Bool = false, logDirectory: String? = nil)
        throws(ClosedLoopScenarioError) -> ClosedLoopSummary {
        let scenario = try ClosedLoopScenario.load(scenarioPath: scenarioPath)
        return try run(scenario, seed: seed, durationS: durationS, trajectoryCSVPath: trajectoryCSVPath,
                       csvRateHz: csvRateHz, realtime: realtime, logDirectory: logDirectory)
    }

    /// Software version written to the logs' `ver_sw`.
    public static let softwareVersion = "0.1.0"

    /// - Parameters:
    ///   - speed: with `realtime`, simulated seconds per wall second.
    ///   - logDirectory: write the flight's ULog (`kestrel_<UTC>.ulg`) there; nil for no log.
    ///   - ground: a MAVLink ground link the vehicle host serves; `unixTimeUs` dates its signatures.
    ///   - prepare: called with the run before it starts.
    public static func run(_ scenario: ClosedLoopScenario, seed: UInt64? = nil, durationS: Double? = nil,
                           trajectoryCSVPath: String? = nil, csvRateHz: Double = 10,
                           realtime: Bool = false, speed: Double = 1, logDirectory: String? = nil,
                           ground: GroundLinkSetup? = nil, unixTimeUs: @escaping () -> UInt64 = { 0 },
                           prepare: ((SITLRun) -> Void)? = nil) throws(ClosedLoopScenarioError) -> ClosedLoopSummary {
        // Paced to the wall clock, the simulated receiver's UTC starts at "now", so an operator's tools on this
        // machine agree with the vehicle's gate on when a request expires (exactly so at speed 1).
        let utcStart: Int64? = realtime ? Int64(Date().timeIntervalSince1970) : nil
        let sitl = try SITLRun(scenario: scenario, seed: seed, utcAtStartUnixS: utcStart, ground: ground,
                               unixTimeUs: unixTimeUs)
        prepare?(sitl)
        if let logDirectory {
            func stem(_ path: String) -> String {
                ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            }
            let setup = FlightLoggerSetup(
                directory: logDirectory, softwareVersion: softwareVersion, vehicleId: "\(SITLRun.vehicleID)",
                board: stem(scenario.boardPath), airframe: stem(scenario.prepared.airframePath),
                startUnixSeconds: Int64(Date().timeIntervalSince1970), parameters: sitl.parameters)
            // The host's log side, as in flight: the real-time side records, this writes, one log per flight.
            let writer = FlightLogWriter(channels: sitl.host.channels, clock: PlantClock(sitl),
                                         log: { _ in }, makeSetup: { setup })
            writer.truthSource = sitl.truth
            do { try sitl.host.startLogging(writer) } catch {
                throw .setup(file: logDirectory, reason: "cannot start the flight log: \(error)")
            }
        }
        var csv = ""
        let rate = csvRateHz.isFinite ? min(max(csvRateHz, 0.01), 400) : 10
        let every = max(1, UInt64((400 / rate).rounded()))
        let wallStart = ContinuousClock.now
        if trajectoryCSVPath != nil {
            csv += csvHeader + "\n"
            sitl.run(durationS: durationS, realtime: realtime, speed: speed, trajectoryEvery: every,
                     trajectory: { csv += row($0) + "\n" })
        } else {
            sitl.run(durationS: durationS, realtime: realtime, speed: speed)
        }
        let logWriter = sitl.host.logWriter
        logWriter?.finish()
        let log = logWriter?.closed.first
        let wall = ContinuousClock.now - wallStart
        if let path = trajectoryCSVPath {
            do {
                try csv.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw .setup(file: path, reason: "cannot write: \((error as NSError).localizedDescription)")
            }
        }
        let output = sitl.host.output
        let stack = sitl.stack
        var summary = ClosedLoopSummary(
            scenarioPath: scenario.prepared.scenarioPath, seed: sitl.seed, simulatedS: sitl.timeS,
            wallS: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18,
            metrics: sitl.metrics, finalMode: output.mode,
            itemsCompleted: output.lastReachedItem.map { $0 + 1 } ?? 0,
            planComplete: output.planComplete,
            crash: sitl.crash,
            meanTickUs: sitl.ticks > 0 ? Double(sitl.stackNs) / Double(sitl.ticks) / 1000 : 0,
            maxTickUs: Double(sitl.maxTickNs) / 1000, trajectoryPath: trajectoryCSVPath,
            missionError: stack.missionError ?? stack.machine?.lastArmingRefusal.map { "\($0)" }, transitions: sitl.transitions,
            gateEvents: sitl.gateEvents,
            terminalClosestApproachM: sitl.terminalClosest?.distanceM, terminalHeightAtClosestM: sitl.terminalClosest?.heightM,
            refusals: sitl.refusals, logPath: log?.path, logStats: log,
            logError: log?.error ?? logWriter?.openFailure)
        summary.outputs = stack.outputCounts
        summary.sensors = stack.sensorCounters
        return summary
    }

    static func row(_ sitl: SITLRun) -> String {
        let v = sitl.vehicle, s = sitl.host.output, n = s.navigation
        let deg = Angle.degreesPerRadian
        var item = -1
        switch s.command {
        case .waypoint(let i, _, _, _, _), .loiter(let i, _): item = i
        default: break
        }
        let fx = TrajectoryCSV.fixed
        let fields = [
            "\(s.mode.rawValue)", "\(item)", fx(s.setpoint.rollSetpointRad * deg, 2), fx(s.pitchSetpointRad * deg, 2),
            fx(s.throttleSetpoint, 3), fx(s.setpoint.heightSetpointM, 2), fx(s.setpoint.airspeedSetpointMps, 2),
            fx(n.positionNEDM.x, 2), fx(n.positionNEDM.y, 2), fx(n.heightAboveOriginM, 2), fx(n.euler.rollRad * deg, 2),
            fx(n.euler.pitchRad * deg, 2), fx(n.euler.yawRad * deg, 2), fx(s.progress.crossTrackErrorM, 2),
        ]
        return TrajectoryCSV.row(v.truth, position: v.geodeticPosition) + "," + fields.joined(separator: ",")
    }
}
