import FlightMath
import RealModule
import Testing
@testable import Guidance

@Suite struct PathFollowingTests {
    let dt = 0.02

    struct WindCase: Sendable, CustomStringConvertible {
        var speedMps: Double, fromDeg: Double, gustSigmaMps: Double
        var rmsLimitM = 1.0
        var description: String { "\(speedMps) m/s from \(fromDeg)° gusts σ \(gustSigmaMps)" }
    }

    static let winds = [
        WindCase(speedMps: 0, fromDeg: 0, gustSigmaMps: 0),
        WindCase(speedMps: 5, fromDeg: 90, gustSigmaMps: 0),
        WindCase(speedMps: 10, fromDeg: 90, gustSigmaMps: 0),
        WindCase(speedMps: 10, fromDeg: 30, gustSigmaMps: 0),
        WindCase(speedMps: 10, fromDeg: 200, gustSigmaMps: 0),
        WindCase(speedMps: 5, fromDeg: 60, gustSigmaMps: 1),
        WindCase(speedMps: 10, fromDeg: 120, gustSigmaMps: 1),
        WindCase(speedMps: 10, fromDeg: 300, gustSigmaMps: 1),
        // Strong turbulence: reported, with a looser bound.
        WindCase(speedMps: 10, fromDeg: 120, gustSigmaMps: 2, rmsLimitM: 2.5),
    ]

    /// A 10 km leg due north-east; the vehicle starts 150 m right of it flying west. After 60 s the cross-track
    /// error must have converged: RMS over the next 120 s below 1 m (gusts σ ≤ 1 m/s).
    @Test(arguments: winds)
    func crossTrackConvergesOnStraightLeg(wind: WindCase) throws {
        let waypoints = try WaypointList([Waypoint(positionNEDM: Vector3(7071, 7071, -100))])
        var follower = WaypointFollower(config: .defaults)
        // 150 m left (north-west) of the line through the origin at 45°, flying west.
        var plane = Unicycle(north: 106.066, east: -106.066, headingRad: -Double.pi / 2, seed: 42)
        plane.meanWindNE = windNE(speedMps: wind.speedMps, fromDeg: wind.fromDeg)
        plane.gustSigmaMps = wind.gustSigmaMps
        follower.restart(atWaypoint: 0, legStartNEDM: Vector3(0, 0, -100))
        var settled = ErrorStats()
        var firstInside5m: Double?
        for i in 0..<Int(180 / dt) {
            let sp = follower.step(state: plane.state, waypoints: waypoints)
            if i == 0 { #expect(abs(sp.crossTrackErrorM + 150) < 0.01) }
            let t = Double(i) * dt
            if firstInside5m == nil, abs(sp.crossTrackErrorM) < 5 { firstInside5m = t }
            if t >= 60 { settled.add(sp.crossTrackErrorM) }
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        print("NPFG line, wind \(wind): within 5 m after \(firstInside5m ?? -1) s, "
              + "steady RMS \(settled.rms) m, max \(settled.maxAbs) m")
        #expect(settled.rms < wind.rmsLimitM)
        #expect((firstInside5m ?? 999) < 60)
    }

    /// Legs of a square with turn anticipation: each switch happens R·tan(45°) = R before the corner (R from the
    /// ground speed at the roll limit), and the overshoot onto the next leg stays small.
    @Test func turnAnticipationSwitchesEarlyByTheTurnRadius() throws {
        let config = GuidanceConfig.defaults
        let corners = [Vector3(1000, 0, -100), Vector3(1000, 1000, -100), Vector3(0, 1000, -100)]
        let waypoints = try WaypointList(corners.map { Waypoint(positionNEDM: $0, acceptanceRadiusM: 5) })
        var follower = WaypointFollower(config: config)
        var plane = Unicycle(north: 0, east: 0, headingRad: 0)
        var lastLeg = 0
        var switchDistances: [Double] = []
        var expected: [Double] = []
        var overshootM = 0.0
        for _ in 0..<Int(150 / dt) {
            let before = plane.state
            let sp = follower.step(state: before, waypoints: waypoints)
            if sp.legIndex != lastLeg {
                let corner = corners[lastLeg]
                switchDistances.append(((corner.x - before.positionNEDM.x) * (corner.x - before.positionNEDM.x)
                    + (corner.y - before.positionNEDM.y) * (corner.y - before.positionNEDM.y)).squareRoot())
                expected.append(config.turnRadiusM(speedMps: 16) * Double.tan(Double.pi / 4))
                lastLeg = sp.legIndex
            }
            // Leg 2 runs east and the vehicle joins it from the south (its right, positive): overshoot is negative.
            if sp.legIndex == 1 { overshootM = max(overshootM, -sp.crossTrackErrorM) }
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        print("turn anticipation: switch distances \(switchDistances) m, expected \(expected) m, "
              + "overshoot of leg 2 \(overshootM) m")
        #expect(switchDistances.count == 2)
        for (d, e) in zip(switchDistances, expected) { #expect(abs(d - e) < 16 * dt + 1) }
        #expect(overshootM < 8)
        #expect(follower.missionComplete == false)
    }

    @Test func withoutAnticipationTheAcceptanceRadiusSwitchesAndTheLastWaypointIsOrbited() throws {
        var config = GuidanceConfig.defaults
        config.turnAnticipation = false
        config.acceptanceRadiusM = 30
        let waypoints = try WaypointList([Waypoint(positionNEDM: Vector3(500, 0, -100)),
                                          Waypoint(positionNEDM: Vector3(500, 600, -120))])
        var follower = WaypointFollower(config: config)
        var plane = Unicycle(north: 0, east: 0, headingRad: 0)
        var switchDistance: Double?
        var heightSetpoints: [Double] = []
        var radius = ErrorStats()
        for i in 0..<Int(300 / dt) {
            let s = plane.state
            let sp = follower.step(state: s, waypoints: waypoints)
            if switchDistance == nil, sp.legIndex == 1 {
                switchDistance = ((500 - s.positionNEDM.x) * (500 - s.positionNEDM.x)
                    + s.positionNEDM.y * s.positionNEDM.y).squareRoot()
            }
            if i % 500 == 0 { heightSetpoints.append(sp.heightSetpointM) }
            if Double(i) * dt > 200 {
                let d = (((s.positionNEDM.x - 500) * (s.positionNEDM.x - 500))
                    + (s.positionNEDM.y - 600) * (s.positionNEDM.y - 600)).squareRoot()
                radius.add(d - config.loiterRadiusM)
            }
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        #expect((switchDistance ?? 99) <= 30)
        #expect((switchDistance ?? 0) > 30 - 16 * dt - 0.01)
        #expect(follower.missionComplete)
        #expect(heightSetpoints.first == 100)
        #expect(heightSetpoints.last == 120)
        #expect(radius.maxAbs < 2)
    }

    @Test func waypointListHoldsSixtyFourAndRejectsMore() throws {
        var list = WaypointList()
        for i in 0..<64 { try list.append(Waypoint(positionNEDM: Vector3(Double(i), 0, 0))) }
        #expect(list.count == 64)
        #expect(throws: WaypointListError.full(capacity: 64)) {
            try list.append(Waypoint(positionNEDM: .zero))
        }
        #expect(list[safe: 63]?.positionNEDM.x == 63)
        #expect(list[safe: 64] == nil)
        var other = WaypointList()
        #expect(throws: WaypointListError.notFinite(index: 0)) {
            try other.append(Waypoint(positionNEDM: Vector3(.nan, 0, 0)))
        }
    }

    /// Wind stronger than the airspeed: no bearing is feasible, and the vehicle must end up heading into the wind
    /// rather than running away downwind.
    @Test func infeasibleWindTurnsIntoTheWind() throws {
        let waypoints = try WaypointList([Waypoint(positionNEDM: Vector3(0, 5000, -100))])
        var follower = WaypointFollower(config: .defaults)
        var plane = Unicycle(north: 0, east: 0, headingRad: Double.pi / 2)
        plane.meanWindNE = windNE(speedMps: 20, fromDeg: 0)  // 20 m/s from the north, airspeed 16
        var feasibility = 1.0
        for _ in 0..<Int(60 / dt) {
            let sp = follower.step(state: plane.state, waypoints: waypoints)
            feasibility = sp.bearingFeasibility
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        #expect(feasibility < 1)
        #expect(abs(Angle.wrapPi(plane.headingRad)) < Angle.radians(fromDegrees: 10))
    }
}
