import FlightMath
import Guidance
import Mission
import RealModule
import Testing

private let home = Geodetic(latitudeDeg: 47.0, longitudeDeg: 8.0, altitudeM: 450)
private let frame = LocalFrame(origin: home)

private func point(_ north: Double, _ east: Double, alt: Double = 80) -> MissionPoint {
    let g = frame.geodetic(ofNED: Vector3(north, east, 0))
    return MissionPoint(latitudeDeg: g.latitudeDeg, longitudeDeg: g.longitudeDeg, relativeAltitudeM: alt)
}

private func plan(_ items: [MissionItem]) throws -> MissionPlan {
    try MissionPlan.validated(items: items, designation: nil, home: home)
}

private func reached(_ index: Int, at position: Vector3) -> GuidanceProgress {
    GuidanceProgress(itemIndex: index, itemReached: true, positionNEDM: position)
}

@Suite struct PlanSequencerTests {
    @Test func walksLaunchLegsLoiterAndRTL() throws {
        let p = try plan([
            .launch(altitudeM: 60),
            .waypoint(position: point(600, 0), acceptanceRadiusM: 20),
            .waypoint(position: point(600, 600, alt: 100), acceptanceRadiusM: 20),
            .loiter(center: point(0, 600), radiusM: 120, direction: .counterClockwise, exit: .turns(2)),
            .returnToLaunch,
        ])
        var s = PlanSequencer(plan: p, settings: .init(rtlHeightM: 70, holdRadiusM: 90, turnRadiusM: 40))
        #expect(s.start(launchHeadingRad: 0.3, positionNEDM: Vector3(0, 0, -2))
                    == .launch(headingRad: 0.3, climbToHeightM: 60))

        // Not done, or progress about another item: nothing moves.
        #expect(s.update(progress: GuidanceProgress(itemIndex: 0, positionNEDM: .zero), nowUs: 1).reachedItem == nil)
        #expect(s.update(progress: reached(1, at: .zero), nowUs: 2).reachedItem == nil)
        #expect(s.currentIndex == 0)

        // Climb-out done at (150, 5, -58): the first leg starts there.
        let climbOut = Vector3(150, 5, -58)
        let step1 = s.update(progress: reached(0, at: climbOut), nowUs: 10_000_000)
        #expect(step1.reachedItem == 0)
        #expect(s.lastReachedAtUs == 10_000_000)
        guard case .waypoint(let i1, let from1, let to1, let acceptance1, _) = step1.command else {
            Issue.record("expected a waypoint leg, got \(step1.command)")
            return
        }
        #expect(i1 == 1)
        #expect(from1 == climbOut)
        #expect(abs(to1.x - 600) < 0.01 && abs(to1.y) < 0.01 && abs(to1.z + 80) < 0.1)
        // 90° turn to the next leg with a 40 m turn radius: lead R·tan(45°) = 40 m beats the 20 m acceptance.
        #expect(abs(acceptance1 - 40) < 0.6)

        // The second leg starts at the first waypoint (not where the vehicle switched).
        let step2 = s.update(progress: reached(1, at: Vector3(570, 10, -80)), nowUs: 20_000_000)
        guard case .waypoint(2, let from2, let to2, let acceptance2, _) = step2.command else {
            Issue.record("expected leg 2, got \(step2.command)")
            return
        }
        #expect(abs(from2.x - 600) < 0.01 && abs(from2.y) < 0.01)
        #expect(abs(to2.y - 600) < 0.01 && abs(to2.z + 100) < 0.1)
        #expect(acceptance2 == 20)  // next item is an orbit: no anticipation

        let step3 = s.update(progress: reached(2, at: Vector3(600, 590, -100)), nowUs: 30_000_000)
        guard case .loiter(3, let orbit) = step3.command else {
            Issue.record("expected the orbit, got \(step3.command)")
            return
        }
        #expect(orbit.radiusM == 120 && orbit.direction == .counterClockwise && orbit.exit == .turns(2))
        #expect(abs(orbit.centerNEDM.x) < 0.01 && abs(orbit.centerNEDM.y - 600) < 0.01)

        // A captured orbit without its exit is not done.
        var captured = GuidanceProgress(itemIndex: 3, loiterCaptured: true, positionNEDM: Vector3(0, 480, -80))
        #expect(s.update(progress: captured, nowUs: 40_000_000).reachedItem == nil)
        captured.loiterExitReached = true
        captured.itemReached = true
        let step4 = s.update(progress: captured, nowUs: 50_000_000)
        #expect(step4.reachedItem == 3)
        #expect(step4.command == .returnToLaunch(homeNEDM: .zero, heightM: 70))
        #expect(s.isComplete)
    }

    @Test func legAfterAnOrbitStartsWhereTheOrbitWasLeftAndPlanEndsInAHold() throws {
        let p = try plan([
            .launch(altitudeM: 60),
            .loiter(center: point(300, 0), radiusM: 100, direction: .clockwise, exit: .time(seconds: 60)),
            .waypoint(position: point(300, 800), acceptanceRadiusM: 30),
        ])
        var s = PlanSequencer(plan: p, settings: .init(rtlHeightM: 70, holdRadiusM: 90, turnRadiusM: 40))
        _ = s.start(launchHeadingRad: 0, positionNEDM: .zero)
        _ = s.update(progress: reached(0, at: Vector3(100, 0, -60)), nowUs: 1)
        let exitPoint = Vector3(300, 100, -80)
        let leg = s.update(progress: reached(1, at: exitPoint), nowUs: 2).command
        #expect(leg == .waypoint(itemIndex: 2, fromNEDM: exitPoint, toNEDM: p.items[2].position.map {
            $0.ned(in: frame) } ?? .zero, acceptanceRadiusM: 30, nextNEDM: nil))
        let hold = s.update(progress: reached(2, at: Vector3(300, 790, -80)), nowUs: 3)
        #expect(hold.reachedItem == 2)
        #expect(s.isComplete)
        guard case .loiter(-1, let orbit) = hold.command else {
            Issue.record("expected a hold orbit, got \(hold.command)")
            return
        }
        #expect(orbit.radiusM == 90 && orbit.exit == .unlimited)
        #expect(abs(orbit.centerNEDM.y - 800) < 0.05)
        // Complete: further progress changes nothing.
        #expect(s.update(progress: reached(2, at: .zero), nowUs: 4).command == hold.command)
    }

    @Test func anticipationIsHalfTheShorterLegAtMostAndGrowsWithTheTurn() throws {
        // 600 m leg north, then a 30 m leg back south-east: a 135° turn would lead by R·tan(60°) (capped at
        // 120°) = 69 m, but half of the 30 m leg is 15 m.
        let p = try plan([
            .waypoint(position: point(600, 0), acceptanceRadiusM: 5),
            .waypoint(position: point(580, 22), acceptanceRadiusM: 5),
            .waypoint(position: point(580, 500), acceptanceRadiusM: 5),
        ])
        var s = PlanSequencer(plan: p, settings: .init(rtlHeightM: 70, holdRadiusM: 90, turnRadiusM: 40))
        guard case .waypoint(0, _, _, let a0, _) = s.start(launchHeadingRad: 0, positionNEDM: .zero) else {
            Issue.record("expected the first leg")
            return
        }
        let shortLeg = (20.0 * 20 + 22 * 22).squareRoot()
        #expect(abs(a0 - shortLeg / 2) < 0.1)
        // From the second to the third waypoint the course turns by atan2 of the two legs; lead = R·tan(Δχ/2).
        guard case .waypoint(1, _, _, let a1, _) = s.update(progress: reached(0, at: .zero), nowUs: 1).command else {
            Issue.record("expected the second leg")
            return
        }
        let inCourse = Double.atan2(y: 22, x: -20), outCourse = Double.atan2(y: 478, x: 0)
        let change = abs(Angle.wrapPi(outCourse - inCourse))
        #expect(abs(a1 - min(40 * Double.tan(change / 2), shortLeg / 2)) < 0.1)
    }
}
