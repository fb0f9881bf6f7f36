import Testing
@testable import Vehicle

/// Issue 14 item 7: the control laws integrate over the tick period that really passed, clamped to 0.5…2 × nominal.
@Suite struct MeasuredPeriodTests {
    @Test func measuredClampedAndExactOnSimulatedTime() {
        var p = MeasuredPeriod(rateHz: 400)
        #expect(p.update(nowUs: 1_000_000) == 1.0 / 400)  // first run: nominal
        // On simulated time each tick is exactly 2 500 µs: bit-identical to 1/400, so SITL runs do not change.
        #expect(p.update(nowUs: 1_002_500) == 1.0 / 400)
        #expect(p.update(nowUs: 1_005_600) == 0.0031)  // a late tick: 3.1 ms really passed
        #expect(p.update(nowUs: 1_006_000) == 0.5 / 400)  // 0.4 ms: clamped up
        #expect(p.update(nowUs: 1_106_000) == 2.0 / 400)  // a 100 ms stall: clamped to 5 ms
        #expect(p.clampedCount == 2)
        #expect(p.update(nowUs: 1_106_000) == 1.0 / 400)  // time did not advance
    }
}
