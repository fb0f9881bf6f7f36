import Foundation
import Testing
@testable import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private struct CrashOnly: Decodable {
    struct Crash: Decodable { var time_s, impact_speed_mps, vertical_speed_mps: Double }
    var crash: Crash
}

/// `kestrel sim --summary-json`: what a campaign classifies a run by must be in the JSON, with the summary's values.
@Suite struct ClosedLoopSummaryJSONTests {
    /// The tailwind launch crashes within seconds: the crash, the final mode, the transitions and the metrics (empty
    /// ones as null, since JSON has no NaN) come out as the summary holds them, and a second run is byte-identical.
    @Test func aCrashedRunsFiguresAndTimelineAreInTheJSON() throws {
        let path = "\(root)/Scenarios/launch/tailwind-crash.toml"
        let summary = try ClosedLoopRun.run(scenarioPath: path, seed: 5)
        let crash = try #require(summary.crash)
        let data = try summary.jsonData()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["crashed"] as? Bool == true)
        #expect(json["seed"] as? UInt64 == 5)
        #expect(json["final_mode"] as? String == "\(summary.finalMode)")
        #expect(json["items_completed"] as? Int == summary.itemsCompleted)
        // Figures exactly (a campaign compares reruns bit for bit), read with JSONDecoder: JSONSerialization's
        // reader on Linux rounds some doubles by an ulp.
        let decoded = try JSONDecoder().decode(CrashOnly.self, from: data).crash
        #expect(decoded.time_s == crash.timeS)
        #expect(decoded.impact_speed_mps == crash.impactSpeedMps)
        #expect(decoded.vertical_speed_mps == crash.verticalSpeedMps)
        let transitions = try #require(json["transitions"] as? [[String: Any]])
        #expect(transitions.count == summary.transitions.count && !transitions.isEmpty)
        #expect(transitions.map { $0["to"] as? String } == summary.transitions.map { "\($0.to)" })
        let metrics = try #require(json["metrics"] as? [String: [String: Any]])
        #expect(Set(metrics.keys) == ["cross_track_m", "loiter_radius_m", "altitude_m", "airspeed_mps"])
        // No orbit was flown: no loiter samples, so null rather than NaN (which JSON cannot carry).
        #expect(summary.metrics.loiterRadiusM.count == 0)
        #expect(metrics["loiter_radius_m"]?["rms"] is NSNull)
        #expect(metrics["loiter_radius_m"]?["samples"] as? Int == 0)
        // The crash came before any mission window: no control-effort figure either.
        let effort = try #require(json["effort"] as? [String: Any])
        #expect(effort.count == 6 && effort.values.allSatisfy { $0 is NSNull })
        #expect(json["gate_events"] is [[String: Any]])
        let again = try ClosedLoopRun.run(scenarioPath: path, seed: 5)
        #expect(try again.jsonData() == data)
    }
}
