import Testing
import FlightRuntime

@Suite struct TickWatchdogTests {
    @Test func tripsOnceAfterTimeoutAndRecovers() {
        var w = TickWatchdog(timeoutUs: 50_000, startUs: 0)
        #expect(w.check(tickCount: 1, nowUs: 2_500) == .alive)
        #expect(w.check(tickCount: 2, nowUs: 5_000) == .alive)
        // Stalled: still within the timeout.
        #expect(w.check(tickCount: 2, nowUs: 50_000) == .alive)
        #expect(w.check(tickCount: 2, nowUs: 55_001) == .trip(silentUs: 50_001))
        #expect(w.check(tickCount: 2, nowUs: 80_000) == .stillTripped)
        #expect(w.check(tickCount: 3, nowUs: 82_500) == .recovered)
        #expect(w.check(tickCount: 4, nowUs: 85_000) == .alive)
    }

    @Test func neverTicking() {
        var w = TickWatchdog(timeoutUs: 10, startUs: 100)
        #expect(w.check(tickCount: 0, nowUs: 105) == .alive)
        #expect(w.check(tickCount: 0, nowUs: 111) == .trip(silentUs: 11))
    }
}
