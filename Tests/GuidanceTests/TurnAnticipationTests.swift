import FlightMath
import Testing
@testable import Guidance

/// Where a corner is left, in the wind: the turn's radius over the ground at its fastest ground speed.
@Suite struct TurnAnticipationTests {
    @Test func groundSpeedAlongATrackInTheWind() {
        let east = NE(0, 1)
        #expect(TurnAnticipation.groundSpeedMps(along: east, airspeedMps: 18, windNE: NE(0, 10)) == 28)  // tailwind
        #expect(TurnAnticipation.groundSpeedMps(along: east, airspeedMps: 18, windNE: NE(0, -10)) == 8)  // headwind
        // A 6 m/s cross wind: crab, 18·cos(asin(6/18)) = 16.97 m/s over the ground.
        #expect(abs(TurnAnticipation.groundSpeedMps(along: east, airspeedMps: 18, windNE: NE(6, 0))
            - (18.0 * 18 - 36).squareRoot()) < 1e-12)
        // Cross wind stronger than the airspeed: no track holds; the widest turn.
        #expect(TurnAnticipation.groundSpeedMps(along: east, airspeedMps: 18, windNE: NE(20, 0)) == 38)
    }

    /// A 90° corner from north to east: in still air at 18 m/s the lead is the still-air radius; into a 10 m/s
    /// tailwind it is the radius at 28 m/s, (28/18)² = 2.4 times longer; never more than half a leg.
    @Test func aTurnIntoATailwindIsLeftEarlier() {
        let config = GuidanceConfig()
        let from = Vector3(0, 0, -80), corner = Vector3(600, 0, -80), next = Vector3(600, 600, -80)
        let calm = GuidanceState(positionNEDM: Vector3(500, 0, -80), velocityNEDMps: Vector3(18, 0, 0), airspeedMps: 18)
        let still = TurnAnticipation.switchDistanceM(from: from, to: corner, next: next, state: calm, config: config)
        #expect(abs(still - config.turnRadiusM(speedMps: 18)) < 1e-9)
        var windy = calm
        windy.windNEDMps = Vector3(0, 10, 0)
        let downwind = TurnAnticipation.switchDistanceM(from: from, to: corner, next: next, state: windy,
                                                        config: config)
        #expect(abs(downwind - min(config.turnRadiusM(speedMps: 28), 300)) < 1e-9)
        #expect(downwind > 2 * still)
        // Turning into a headwind: the ground speed now is the largest.
        windy.windNEDMps = Vector3(0, -10, 0)
        #expect(abs(TurnAnticipation.switchDistanceM(from: from, to: corner, next: next, state: windy, config: config)
            - still) < 1e-9)
    }
}
