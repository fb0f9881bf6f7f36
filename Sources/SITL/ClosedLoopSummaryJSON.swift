import Foundation
import Mission

/// The summary's figures as JSON (`kestrel sim --summary-json`), for campaigns and scripts that classify runs:
/// metrics, outcome, crash, mode transitions and gate decisions. Figures with no samples are `null`.
extension ClosedLoopSummary {
    public var jsonObject: [String: Any] {
        func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
        func statistic(_ s: ErrorStatistic) -> [String: Any] {
            ["rms": number(s.rms), "max": s.count > 0 ? s.maxAbs : NSNull(), "samples": s.count]
        }
        let m = metrics
        var crashObject: Any = NSNull()
        if let crash {
            crashObject = ["time_s": crash.timeS, "impact_speed_mps": crash.impactSpeedMps,
                           "vertical_speed_mps": crash.verticalSpeedMps]
        }
        return [
            "scenario": scenarioPath,
            "seed": seed,
            "simulated_s": simulatedS,
            "final_mode": "\(finalMode)",
            "items_completed": itemsCompleted,
            "plan_complete": planComplete,
            "crashed": crashed,
            "crash": crashObject,
            "mission_error": missionError ?? NSNull(),
            // Chips found reset (a power loss) and configured again by their drivers.
            "reconfigurations": ["imu": sensors.imuReconfigurations, "barometer": sensors.baroReconfigurations,
                                 "servo_board": outputs.reconfigurations],
            "metrics": [
                "cross_track_m": statistic(m.crossTrackM), "loiter_radius_m": statistic(m.loiterRadiusM),
                "altitude_m": statistic(m.altitudeM), "airspeed_mps": statistic(m.airspeedMps),
            ],
            "origin_height_error_m": number(m.originHeightErrorM ?? .nan),
            // How hard the autopilot worked for those figures (see `ControlEffort`).
            "effort": [
                "pitch_setpoint_sd_deg": number(m.effort.pitchSetpointDeg.standardDeviation),
                "pitch_setpoint_rate_rms_degps": number(m.effort.pitchSetpointRateDegps.rms),
                "pitch_limited_fraction": number(m.effort.pitchLimitedFraction),
                "throttle_sd": number(m.effort.throttle.standardDeviation),
                "throttle_activity_per_s": number(m.effort.throttleActivityPerS),
                "max_surface_travel_deg_per_min": number(m.effort.maxSurfaceTravelDegPerMin),
            ],
            "transitions": transitions.map {
                ["time_s": Double($0.timeUs) * 1e-6, "from": "\($0.from)", "to": "\($0.to)", "reason": "\($0.reason)"]
            },
            "gate_events": gateEvents.filter { $0.event != .tick || $0.outcome != .none }.map { g -> [String: Any] in
                ["time_s": Double(g.vehicleTimeUs) * 1e-6, "event": "\(g.event)", "outcome": "\(g.outcome)",
                 "rejection": g.rejection.map { "\($0)" } ?? NSNull(),
                 "exit_reason": g.exitReason.map { "\($0)" } ?? NSNull()]
            },
        ]
    }

    /// Pretty-printed, keys sorted, so two runs of one seed compare byte for byte (wall-clock figures left out).
    public func jsonData() throws -> Data {
        try JSONSerialization.data(withJSONObject: jsonObject, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
