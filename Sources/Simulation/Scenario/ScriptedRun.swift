import FlightMath
import Foundation

/// What a scripted run did.
public struct ScriptedRunSummary: Sendable {
    public var seed: UInt64
    public var durationS: Double
    public var steps: UInt64
    public var final: VehicleTruth
    public var finalPosition: Geodetic
    public var minHeightM: Double
    public var maxHeightM: Double
    public var minAirspeedMps: Double
    public var maxAirspeedMps: Double
    public var firstTouchdown: TouchdownEvent?
    public var touchdownCount: Int
    public var trajectoryPath: String?

    public var crashed: Bool { firstTouchdown?.isCrash ?? false }

    /// A few lines for the terminal.
    public var report: String {
        let e = final.euler
        var lines = [
            String(format: "simulated %.1f s (%llu steps), seed %llu", durationS, steps, seed),
            String(format: "height above origin: min %.1f m, max %.1f m; airspeed: min %.1f m/s, max %.1f m/s",
                   minHeightM, maxHeightM, minAirspeedMps, maxAirspeedMps),
            String(format: "final: lat %.7f° lon %.7f° alt %.1f m, NED (%.1f, %.1f, %.1f) m, airspeed %.1f m/s, "
                   + "roll %.1f° pitch %.1f° yaw %.1f°, battery %.2f V (%.0f %%)",
                   finalPosition.latitudeDeg, finalPosition.longitudeDeg, finalPosition.altitudeM,
                   final.body.positionNEDM.x, final.body.positionNEDM.y, final.body.positionNEDM.z,
                   final.air.airspeedMps, Angle.degrees(fromRadians: e.rollRad), Angle.degrees(fromRadians: e.pitchRad),
                   Angle.degrees(fromRadians: e.yawRad), final.batteryVoltageV, final.batteryStateOfCharge * 100),
        ]
        if let t = firstTouchdown {
            lines.append(String(format: "%@ at %.1f s: impact %.1f m/s, vertical %.1f m/s (%d contacts)",
                                t.isCrash ? "CRASH" : "touchdown", t.timeS, t.impactSpeedMps, t.verticalSpeedMps,
                                touchdownCount))
        } else {
            lines.append("no touchdown")
        }
        if let p = trajectoryPath { lines.append("trajectory: \(p)") }
        return lines.joined(separator: "\n")
    }
}

/// Runs a scenario's scripted (open-loop) control schedule against the plant, in fast time or paced to the wall
/// clock. The lead wires it to `kestrel sim SCENARIO.toml [--seed N] [--out DIR] [--realtime]`.
public enum ScriptedRun {
    /// - Parameters:
    ///   - trajectoryCSVPath: where to write the trajectory, or nil for none.
    ///   - csvRateHz: rows per simulated second in the CSV.
    ///   - realtime: pace the run so that simulated time follows the wall clock.
    public static func run(scenarioPath: String, seed: UInt64? = nil, trajectoryCSVPath: String? = nil,
                           csvRateHz: Double = 10, realtime: Bool = false) throws(ScenarioError) -> ScriptedRunSummary {
        let prepared = try PreparedScenario.load(scenarioPath: scenarioPath)
        return try run(prepared, seed: seed, trajectoryCSVPath: trajectoryCSVPath, csvRateHz: csvRateHz,
                       realtime: realtime)
    }

    public static func run(_ prepared: PreparedScenario, seed: UInt64? = nil, trajectoryCSVPath: String? = nil,
                           csvRateHz: Double = 10, realtime: Bool = false) throws(ScenarioError) -> ScriptedRunSummary {
        let schedule = prepared.schedule
        guard !schedule.isEmpty else {
            throw .mismatch(file: prepared.scenarioPath, keyPath: "mission",
                            reason: "a closed-loop scenario has no scripted schedule; the autopilot flies it")
        }
        var vehicle = try prepared.makeVehicle(seed: seed)
        let totalSteps = UInt64((prepared.scenario.durationS / vehicle.dtS).rounded())
        // A CLI argument: NaN or absurd rates fall back to something sane instead of trapping in the conversion.
        let csvRate = csvRateHz.isFinite ? csvRateHz.clamped(to: 0.001...Double(vehicle.options.stepRateHz)) : 10
        let csvEvery = max(1, UInt64((1 / (csvRate * vehicle.dtS)).rounded()))
        var csv = ""
        if trajectoryCSVPath != nil {
            csv.reserveCapacity(Int(totalSteps / csvEvery + 2) * 160)
            csv += TrajectoryCSV.header + "\n"
            csv += TrajectoryCSV.row(vehicle.truth, position: vehicle.geodeticPosition) + "\n"
        }
        var scheduleIndex = 0
        var minHeight = -vehicle.state.positionNEDM.z, maxHeight = minHeight
        var minAirspeed = vehicle.airspeedMps, maxAirspeed = minAirspeed
        let wallStart = ContinuousClock.now
        for i in 0..<totalSteps {
            let t = Double(i) * vehicle.dtS
            while scheduleIndex + 1 < schedule.count && schedule[scheduleIndex + 1].timeS <= t { scheduleIndex += 1 }
            vehicle.step(controls: schedule[scheduleIndex].controls)
            let h = -vehicle.state.positionNEDM.z
            minHeight = min(minHeight, h); maxHeight = max(maxHeight, h)
            let v = vehicle.airspeedMps
            minAirspeed = min(minAirspeed, v); maxAirspeed = max(maxAirspeed, v)
            if trajectoryCSVPath != nil && (i + 1) % csvEvery == 0 {
                csv += TrajectoryCSV.row(vehicle.truth, position: vehicle.geodeticPosition) + "\n"
            }
            if realtime && (i + 1) % 4 == 0 {
                // Pace in 4-step chunks (10 ms at 400 Hz): sleep until the wall clock catches up with sim time.
                let ahead = wallStart + .microseconds(Int64(vehicle.timeUs)) - ContinuousClock.now
                if ahead > .zero {
                    let c = ahead.components
                    Thread.sleep(forTimeInterval: Double(c.seconds) + Double(c.attoseconds) * 1e-18)
                }
            }
        }
        if let path = trajectoryCSVPath {
            do {
                try csv.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw .output(path: path, reason: (error as NSError).localizedDescription)
            }
        }
        let truth = vehicle.truth
        return ScriptedRunSummary(
            seed: seed ?? prepared.scenario.seed, durationS: vehicle.timeS, steps: vehicle.stepCount, final: truth,
            finalPosition: vehicle.geodeticPosition, minHeightM: minHeight, maxHeightM: maxHeight,
            minAirspeedMps: minAirspeed, maxAirspeedMps: maxAirspeed, firstTouchdown: vehicle.firstTouchdown,
            touchdownCount: vehicle.touchdownCount, trajectoryPath: trajectoryCSVPath)
    }
}
