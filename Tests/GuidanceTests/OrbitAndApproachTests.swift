import FlightMath
import RealModule
import Testing
@testable import Guidance

@Suite struct OrbitAndApproachTests {
    let dt = 0.02

    struct OrbitCase: Sendable, CustomStringConvertible {
        var windMps: Double, gustSigmaMps: Double, radiusM: Double, direction: OrbitDirection, rmsLimitM: Double
        var description: String { "R \(radiusM) m \(direction.rawValue), wind \(windMps) m/s σ \(gustSigmaMps)" }
    }

    /// Radius 100 m holds in 5 m/s; in 10 m/s the downwind ground speed (26 m/s) needs 33° of bank on a 150 m
    /// circle, inside the 40° limit, so 150 m is used there.
    @Test(arguments: [
        OrbitCase(windMps: 0, gustSigmaMps: 0, radiusM: 100, direction: .clockwise, rmsLimitM: 0.5),
        OrbitCase(windMps: 5, gustSigmaMps: 0, radiusM: 100, direction: .counterClockwise, rmsLimitM: 1),
        OrbitCase(windMps: 10, gustSigmaMps: 0, radiusM: 150, direction: .clockwise, rmsLimitM: 1.5),
        OrbitCase(windMps: 10, gustSigmaMps: 1, radiusM: 150, direction: .counterClockwise, rmsLimitM: 2),
    ])
    func loiterHoldsItsRadiusInWind(orbitCase c: OrbitCase) {
        let orbit = LoiterOrbit(centerNEDM: Vector3(300, -200, -120), radiusM: c.radiusM, direction: c.direction)
        var loiter = LoiterController(config: .defaults, orbit: orbit)
        var plane = Unicycle(north: 0, east: 0, headingRad: 0, seed: 9)
        plane.meanWindNE = windNE(speedMps: c.windMps, fromDeg: 250)
        plane.gustSigmaMps = c.gustSigmaMps
        var stats = ErrorStats()
        var capturedAt: Double?
        var lastTurns = 0.0
        for i in 0..<Int(400 / dt) {
            let sp = loiter.step(state: plane.state, dtS: dt)
            if capturedAt == nil, loiter.status.captured { capturedAt = Double(i) * dt }
            if let t0 = capturedAt, Double(i) * dt > t0 + 60 { stats.add(loiter.status.radiusErrorM) }
            #expect(sp.heightSetpointM == 120)
            lastTurns = loiter.status.turnsCompleted
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        print("loiter \(c): captured after \(capturedAt ?? -1) s, radius error RMS \(stats.rms) m, "
              + "max \(stats.maxAbs) m, turns \(lastTurns)")
        #expect(stats.rms < c.rmsLimitM)
        #expect(stats.maxAbs < 3 * c.rmsLimitM + 1)
        #expect(lastTurns > 3)  // it goes round in the commanded direction
        #expect(loiter.status.exitReached == false)  // unlimited
    }

    /// Without wind a turn takes 2πR/V; two turns of a 100 m orbit at 16 m/s take 78.5 s after capture.
    @Test func nTurnsLoiterEnds() {
        let orbit = LoiterOrbit(centerNEDM: Vector3(0, 0, -100), radiusM: 100, direction: .clockwise,
                                exit: .turns(2))
        var loiter = LoiterController(config: .defaults, orbit: orbit)
        var plane = Unicycle(north: 100, east: 0, headingRad: Double.pi / 2)  // on the circle, flying clockwise
        var exitAt: Double?
        for i in 0..<Int(200 / dt) where exitAt == nil {
            let sp = loiter.step(state: plane.state, dtS: dt)
            if loiter.status.exitReached { exitAt = Double(i) * dt }
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        let expected = 2 * 2 * Double.pi * 100 / 16
        print("loiter 2 turns: exit after \(exitAt ?? -1) s, expected \(expected) s")
        #expect(abs((exitAt ?? 0) - expected) < 1)
    }

    @Test func timedLoiterEndsAfterItsTimeOnOrbit() {
        let orbit = LoiterOrbit(centerNEDM: Vector3(500, 0, -100), radiusM: 80, direction: .counterClockwise,
                                exit: .time(seconds: 45))
        var loiter = LoiterController(config: .defaults, orbit: orbit)
        var plane = Unicycle(north: 0, east: 0, headingRad: 0)
        plane.meanWindNE = windNE(speedMps: 5, fromDeg: 0)
        var capturedAt: Double?, exitAt: Double?
        for i in 0..<Int(200 / dt) where exitAt == nil {
            let sp = loiter.step(state: plane.state, dtS: dt)
            if capturedAt == nil, loiter.status.captured { capturedAt = Double(i) * dt }
            if loiter.status.exitReached { exitAt = Double(i) * dt }
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        let captured = capturedAt ?? 999
        print("timed loiter: captured at \(captured) s, exit at \(exitAt ?? -1) s")
        #expect(captured > 20 && captured < 40)  // ~420 m to fly first
        #expect(abs((exitAt ?? 0) - (captured + 45)) < 2 * dt)
    }

    @Test func returnToLaunchReachesHomeAndOrbitsAtRTLHeight() {
        let home = Vector3(0, 0, -10)  // home 10 m up in the local frame
        var rtl = ReturnToLaunch(config: .defaults, homeNEDM: home)
        var plane = Unicycle(north: 1200, east: 900, headingRad: 0, seed: 3)
        plane.meanWindNE = windNE(speedMps: 8, fromDeg: 45)
        plane.gustSigmaMps = 1
        var loiterAt: Double?
        var radius = ErrorStats()
        for i in 0..<Int(400 / dt) {
            let sp = rtl.step(state: plane.state, dtS: dt)
            #expect(sp.heightSetpointM == 70)  // 10 + rtl_altitude_m 60
            #expect(sp.mode == .returnToLaunch)
            if loiterAt == nil, rtl.phase == .loitering { loiterAt = Double(i) * dt }
            if let t0 = loiterAt, Double(i) * dt > t0 + 60 { radius.add(rtl.loiterStatus.radiusErrorM) }
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        // 1500 m away, less the 80 m radius, against 8 m/s of wind mostly on the nose: 16 − 8 = 8 m/s at worst.
        print("RTL: loitering after \(loiterAt ?? -1) s, radius RMS \(radius.rms) m, max \(radius.maxAbs) m")
        #expect((loiterAt ?? 999) < 1420 / 8)
        #expect(radius.rms < 2)
        #expect(rtl.loiterStatus.turnsCompleted > 1)
    }

    @Test func approachGeometryFollowsTheFlightPathAngle() throws {
        let gamma = Angle.radians(fromDegrees: 10)
        let geometry = try ApproachGeometry(startNEDM: Vector3(0, 0, -100), targetNEDM: Vector3(1200, 500, -20),
                                            flightPathAngleRad: gamma, abortFloorAboveTargetM: 30)
        let horizontal = (1200.0 * 1200 + 500 * 500).squareRoot()  // 1300 m
        #expect(abs(geometry.descentLengthM - 80 / Double.tan(gamma)) < 1e-9)  // 453.7 m
        #expect(abs(geometry.lineUpLengthM - (horizontal - 80 / Double.tan(gamma))) < 1e-9)
        #expect(abs(geometry.abortFloorHeightM - 50) < 1e-12)
        #expect(abs(geometry.abortFloorDistanceM - 30 / Double.tan(gamma)) < 1e-9)
        #expect(abs(geometry.courseRad - Double.atan2(y: 500, x: 1200)) < 1e-12)
        // Points on the line at s metres to go: height = 20 + s·tan γ up to the start height.
        let unit = (1200 / horizontal, 500 / horizontal)
        func point(toGo s: Double) -> Vector3 { Vector3(1200 - unit.0 * s, 500 - unit.1 * s, -50) }
        for s in stride(from: 0.0, through: 440, by: 40) {
            #expect(abs(geometry.heightSetpointM(positionNEDM: point(toGo: s)) - (20 + s * Double.tan(gamma))) < 1e-9)
            #expect(geometry.phase(positionNEDM: point(toGo: s)) == (s == 0 ? .passedTarget : .descent))
        }
        #expect(geometry.heightSetpointM(positionNEDM: point(toGo: 800)) == 100)
        #expect(geometry.phase(positionNEDM: point(toGo: 800)) == .lineUp)
        #expect(geometry.heightSetpointM(positionNEDM: point(toGo: -50)) == 20)
        // Slope between two points on the descent: the flight-path angle.
        let h1 = geometry.heightSetpointM(positionNEDM: point(toGo: 300))
        let h2 = geometry.heightSetpointM(positionNEDM: point(toGo: 100))
        #expect(abs(Double.atan2(y: h1 - h2, x: 200) - gamma) < 1e-12)
        // Abort floor query.
        #expect(geometry.isBelowAbortFloor(heightM: 49.9))
        #expect(!geometry.isBelowAbortFloor(heightM: 50))
        #expect(geometry.isBelowAbortFloor(heightM: .nan))
        let floorPoint = geometry.descentStartNEDM
        #expect(abs(floorPoint.z + 100) < 1e-12)
    }

    @Test func approachGeometryRejectsImpossibleInputs() {
        let start = Vector3(0, 0, -100)
        #expect(throws: ApproachGeometryError.self) {
            _ = try ApproachGeometry(startNEDM: start, targetNEDM: Vector3(200, 0, 0),
                                     flightPathAngleRad: Angle.radians(fromDegrees: 10), abortFloorAboveTargetM: 30)
        }
        do {
            _ = try ApproachGeometry(startNEDM: start, targetNEDM: Vector3(200, 0, 0),
                                     flightPathAngleRad: Angle.radians(fromDegrees: 10), abortFloorAboveTargetM: 30)
        } catch {
            guard case .tooShort(let required, let available) = error else { Issue.record("\(error)"); return }
            #expect(abs(required - 100 / Double.tan(Angle.radians(fromDegrees: 10))) < 1e-9)
            #expect(available == 200)
            #expect(error.description.contains("567"))
        }
        do {
            _ = try ApproachGeometry(startNEDM: start, targetNEDM: Vector3(2000, 0, 0),
                                     flightPathAngleRad: Angle.radians(fromDegrees: 60), abortFloorAboveTargetM: 30)
            Issue.record("accepted a 60° glide")
        } catch {
            guard case .flightPathAngleOutOfRange(let degrees) = error else { Issue.record("\(error)"); return }
            #expect(abs(degrees - 60) < 1e-9)
        }
        #expect(throws: ApproachGeometryError.targetBelowStartRequired(startHeightM: 100, targetHeightM: 120)) {
            _ = try ApproachGeometry(startNEDM: start, targetNEDM: Vector3(2000, 0, -120),
                                     flightPathAngleRad: 0.1, abortFloorAboveTargetM: 30)
        }
        #expect(throws: ApproachGeometryError.abortFloorOutOfRange(heightM: 150)) {
            _ = try ApproachGeometry(startNEDM: start, targetNEDM: Vector3(2000, 0, 0),
                                     flightPathAngleRad: 0.1, abortFloorAboveTargetM: 150)
        }
        #expect(throws: ApproachGeometryError.notFinite) {
            _ = try ApproachGeometry(startNEDM: start, targetNEDM: Vector3(.nan, 0, 0),
                                     flightPathAngleRad: 0.1, abortFloorAboveTargetM: 30)
        }
    }

    /// Flown on the kinematic model from an orbit exit heading away from the line: lines up, then the height
    /// setpoint descends along the glide line; the vehicle is on the line before the descent starts.
    @Test func approachIsFlownAlongTheLine() throws {
        let geometry = try ApproachGeometry(startNEDM: Vector3(0, 0, -100), targetNEDM: Vector3(1500, 0, -10),
                                            flightPathAngleRad: Angle.radians(fromDegrees: 8),
                                            abortFloorAboveTargetM: 25)
        let guidance = ApproachGuidance(config: .defaults, geometry: geometry)
        var plane = Unicycle(north: 0, east: 0, headingRad: Double.pi / 2, seed: 5)  // exits the orbit flying east
        plane.meanWindNE = windNE(speedMps: 6, fromDeg: 90)
        plane.gustSigmaMps = 1
        var descentCrossTrack = ErrorStats()
        var sawLineUp = false, sawDescent = false
        for _ in 0..<Int(200 / dt) {
            let s = plane.state
            let sp = guidance.step(state: s)
            switch geometry.phase(positionNEDM: s.positionNEDM) {
            case .lineUp: sawLineUp = true
            case .descent:
                sawDescent = true
                descentCrossTrack.add(sp.crossTrackErrorM)
            case .passedTarget: break
            }
            if sp.distanceToGoM <= 0 { break }
            plane.heightM = sp.heightSetpointM  // vertical loop taken as perfect here
            plane.step(rollSetpointRad: sp.rollSetpointRad, dtS: dt)
        }
        print("approach: cross-track on the descent RMS \(descentCrossTrack.rms) m, max \(descentCrossTrack.maxAbs) m")
        #expect(sawLineUp && sawDescent)
        #expect(descentCrossTrack.maxAbs < 3)
        #expect(abs(plane.heightM - 10) < 1)
    }

    @Test func npfgRollStaysWithinLimitAndFinite() {
        let npfg = NPFG(config: .defaults)
        var random = RandomSource(seed: 77)
        for _ in 0..<5000 {
            let state = GuidanceState(
                positionNEDM: Vector3(random.uniform() * 2000 - 1000, random.uniform() * 2000 - 1000, -100),
                velocityNEDMps: Vector3(random.uniform() * 60 - 30, random.uniform() * 60 - 30, 0),
                windNEDMps: Vector3(random.uniform() * 50 - 25, random.uniform() * 50 - 25, 0),
                airspeedMps: random.uniform() * 30)
            let path = random.uniform() < 0.5
                ? PathSample.line(from: NE(0, 0), to: NE(random.uniform() * 100, 300), position: NE(state.positionNEDM))
                : PathSample.circle(center: NE(0, 0), radiusM: 20 + random.uniform() * 200, direction: .clockwise,
                                    position: NE(state.positionNEDM))
            let out = npfg.guide(state: state, path: path)
            #expect(out.rollSetpointRad.isFinite && abs(out.rollSetpointRad) <= GuidanceConfig.defaults.maxRollRad + 1e-12)
            #expect(out.courseSetpointRad.isFinite)
            #expect((0...1).contains(out.bearingFeasibility))
        }
    }
}
