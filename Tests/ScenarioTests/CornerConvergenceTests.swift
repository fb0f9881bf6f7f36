import FlightMath
import Foundation
import SITL
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private final class Track: @unchecked Sendable { var points: [Vector3] = [] }

/// Issue 18's tailwind leg: after a 90° corner into a tailwind the next leg must be rejoined soon after the corner.
/// The box of `Scenarios/missions/demo-box.toml` (north 600 m, east 600 m: downwind in the wind set, then south) in the
/// wind set's 5 and 10 m/s (56 % of the 2 m airframe's 18 m/s) with moderate turbulence, five seeds each. The corner was
/// anticipated at the still-air turn radius: 100 m into the downwind leg the vehicle was still 26–56 m off it in 10 m/s
/// and once 8 m off 200 m in. Planned at the next leg's ground speed (`TurnAnticipation`): 5–27 m at 100 m, within
/// 5.2 m from 200 m on. (Issue 18 asks for 100 m; NPFG's convergence at a 27 m/s ground speed is what is left.)
@Suite struct CornerConvergenceTests {
    /// The horizontal track (NED of the origin) every 0.1 s until `untilS`.
    static func track(_ scenario: String, seed: UInt64, untilS: Double) throws -> [Vector3] {
        let closed = try ClosedLoopScenario.load(scenarioPath: "\(root)/\(scenario)")
        let track = Track()
        _ = try ClosedLoopRun.run(closed, seed: seed, durationS: untilS, prepare: { run in
            run.afterStep = { r in
                if r.vehicle.stepCount % 40 == 0 { track.points.append(r.vehicle.state.positionNEDM) }
            }
        })
        return track.points
    }

    /// |cross-track| where the track first passes `alongM` metres along the leg from `from` to `to` (horizontal).
    static func crossTrack(_ track: [Vector3], from: Vector3, to: Vector3, alongM: Double) -> Double? {
        let dx = to.x - from.x, dy = to.y - from.y
        let length = (dx * dx + dy * dy).squareRoot()
        let ux = dx / length, uy = dy / length
        for p in track {
            let rx = p.x - from.x, ry = p.y - from.y
            let along = rx * ux + ry * uy
            let cross = -rx * uy + ry * ux
            // On this leg: past the distance, and near the line (not an earlier pass elsewhere).
            if along >= alongM, along < length, abs(cross) < 200 { return abs(cross) }
        }
        return nil
    }

    @Test(arguments: ["Scenarios/wind/2m-wind05.toml", "Scenarios/wind/2m-wind10.toml"], [1, 2, 3, 4, 5] as [UInt64])
    func legsAreRejoinedSoonAfterTheCorner(scenario: String, seed: UInt64) throws {
        let frame = LocalFrame(origin: Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488))
        func ned(_ lat: Double, _ lon: Double) -> Vector3 {
            frame.ned(of: Geodetic(latitudeDeg: lat, longitudeDeg: lon, altitudeM: 488))
        }
        let corners = [ned(47.4031387, 8.5455940), ned(47.4031387, 8.5535421), ned(47.3977420, 8.5535421)]
        let track = try Self.track(scenario, seed: seed, untilS: 200)
        for leg in 0..<2 {
            var errors: [Double] = []
            for along in [100.0, 200.0, 300.0] {
                errors.append(try #require(Self.crossTrack(track, from: corners[leg], to: corners[leg + 1],
                                                           alongM: along), "\(scenario) seed \(seed): leg \(leg + 1)"))
            }
            print("corner-convergence \(scenario) seed \(seed) leg \(leg + 1): "
                  + "\(errors.map { String(format: "%.1f", $0) }) m at 100/200/300 m")
            #expect(errors[0] < 30, "\(scenario) seed \(seed): leg \(leg + 1) \(errors[0]) m off 100 m past the corner")
            #expect(errors[1] < 6 && errors[2] < 6, "\(scenario) seed \(seed): leg \(leg + 1) \(errors) m")
        }
    }
}
