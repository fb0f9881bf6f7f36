import Estimation
import FlightMath
import Testing

/// Closed-loop accuracy against the targets the SITL flight will be held to.
@Suite struct AccuracyTests {
    @Test func meetsAccuracyTargetsOverSixMinutesWithTurnsClimbsAndSpeedChanges() {
        var run = FlightRun()
        run.durationS = 380
        run.evaluateFromS = 50
        let (errors, filter) = run.run()
        print("accuracy:", errors.summary)
        #expect(errors.rollDeg.rms <= 1.0)
        #expect(errors.pitchDeg.rms <= 1.0)
        #expect(errors.headingDeg.rms <= 3.0)
        #expect(errors.horizontalPositionM.rms <= 3.0)
        #expect(errors.velocityMps.rms <= 0.3)
        let h = filter.health
        #expect(h.isHealthy)
        #expect(h.gps.condition == .healthy)
        #expect(h.baro.condition == .healthy)
        #expect(h.mag.condition == .healthy)
        #expect(h.airspeed.condition == .healthy)
    }
}
