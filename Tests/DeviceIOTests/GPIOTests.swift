import Testing
@testable import DeviceIO

@Suite struct GPIOTests {
    @Test func missingChipNamesTheChipAndHowToFindIt() {
        let clock = ManualClock()
        #expect(throws: DeviceError.missing(.gpio, path: "/dev/gpiochip99")) {
            _ = try LinuxGPIOInput(chipName: "gpiochip99", lineOffset: 4, clock: clock)
        }
        #expect(DeviceError.missing(.gpio, path: "/dev/gpiochip99").description.contains("gpiodetect"))
    }

    @Test func debouncerIgnoresContactBounce() {
        var debouncer = EdgeDebouncer(debounceUs: 5_000, initialLevel: false)
        // A switch closing at t = 1000 µs bounces three times within 2 ms, then stays closed.
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 1_000, isActive: true)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 1_400, isActive: false)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 1_900, isActive: true)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 2_500, isActive: false)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 3_000, isActive: true)) == nil)
        #expect(debouncer.settle(nowUs: 7_999) == nil)
        #expect(debouncer.stableLevel == false)
        // Accepted 5 ms after the last bounce, stamped with that edge's kernel time.
        #expect(debouncer.settle(nowUs: 8_000) == EdgeEvent(timestampUs: 3_000, isActive: true))
        #expect(debouncer.stableLevel == true)
        #expect(debouncer.settle(nowUs: 20_000) == nil)
    }

    @Test func debouncerDropsAGlitchShorterThanTheWindow() {
        var debouncer = EdgeDebouncer(debounceUs: 5_000, initialLevel: true)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 10_000, isActive: false)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 10_300, isActive: true)) == nil)
        #expect(debouncer.settle(nowUs: 100_000) == nil)
        #expect(debouncer.stableLevel == true)
    }

    @Test func debouncerAcceptsAHeldLevelWhenTheNextEdgeArrivesLate() {
        // Poll missed: both edges are read at once. The first level held 50 ms, so it was real.
        var debouncer = EdgeDebouncer(debounceUs: 5_000, initialLevel: false)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 0, isActive: true)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 50_000, isActive: false))
            == EdgeEvent(timestampUs: 0, isActive: true))
        #expect(debouncer.settle(nowUs: 55_000) == EdgeEvent(timestampUs: 50_000, isActive: false))
    }

    @Test func zeroDebouncePassesEveryEdge() {
        var debouncer = EdgeDebouncer(debounceUs: 0, initialLevel: false)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 7, isActive: true)) == EdgeEvent(timestampUs: 7, isActive: true))
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 9, isActive: false))
            == EdgeEvent(timestampUs: 9, isActive: false))
    }
}
