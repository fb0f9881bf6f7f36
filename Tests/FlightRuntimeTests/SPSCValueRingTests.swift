@testable import FlightRuntime
import Atomics
import LockFree
import MAVLink
import Testing

#if canImport(Glibc)
import Glibc
#endif

private final class Tracked {
    static let alive = ManagedAtomic<Int>(0)
    let value: Int
    init(_ value: Int) { self.value = value; Self.alive.wrappingIncrement(ordering: .relaxed) }
    deinit { Self.alive.wrappingDecrement(ordering: .relaxed) }
}

@Suite struct SPSCValueRingTests {
    @Test func capacityMustBeAPowerOfTwoInRange() {
        for bad in [0, 1, 3, 6, 100, 1 << 21] {
            #expect(throws: SPSCValueRingError.invalidCapacity(bad)) { try SPSCValueRing<Int>(capacity: bad) }
        }
        #expect((try? SPSCValueRing<Int>(capacity: 2)) != nil)
        #expect((try? SPSCValueRing<Int>(capacity: 1 << 20)) != nil)
    }

    @Test func firstInFirstOutAcrossWrapAround() throws {
        let ring = try SPSCValueRing<Int>(capacity: 4)
        var expected = 0
        var next = 0
        // Three in, two out, many times: the indices wrap the 4 slots repeatedly.
        for _ in 0..<50 {
            for _ in 0..<3 where ring.count < 4 { #expect(ring.push(next)); next += 1 }
            for _ in 0..<2 {
                guard let v = ring.pop() else { break }
                #expect(v == expected)
                expected += 1
            }
        }
        while let v = ring.pop() { #expect(v == expected); expected += 1 }
        #expect(expected == next)
        #expect(ring.overflows == 0)
        #expect(ring.pushed == UInt64(next))
    }

    @Test func aFullRingDropsAndCountsWithoutBlocking() throws {
        let ring = try SPSCValueRing<UInt32>(capacity: 8)
        for i in 0..<8 { #expect(ring.push(UInt32(i))) }
        for i in 8..<13 { #expect(!ring.push(UInt32(i))) }
        #expect(ring.overflows == 5)
        #expect(ring.count == 8)
        // The oldest eight survive, in order; the dropped five never appear.
        var seen: [UInt32] = []
        while let v = ring.pop() { seen.append(v) }
        #expect(seen == Array(0..<8))
        #expect(ring.push(99))
        #expect(ring.pop() == 99)
        #expect(ring.pop() == nil)
    }

    @Test func popLatestKeepsOnlyTheNewest() throws {
        let ring = try SPSCValueRing<Int>(capacity: 8)
        #expect(ring.popLatest() == nil)
        for i in 1...5 { ring.push(i) }
        #expect(ring.popLatest() == 5)
        #expect(ring.count == 0)
    }

    @Test func queuedReferencesAreReleasedWithTheRing() throws {
        do {
            let ring = try SPSCValueRing<Tracked>(capacity: 4)
            #expect(!SPSCValueRing<Tracked>.isTriviallyCopyable)
            for i in 0..<3 { ring.push(Tracked(i)) }
            #expect(ring.pop()?.value == 0)
        }
        #expect(Tracked.alive.load(ordering: .relaxed) == 0)
    }

    /// What crosses to and from the real-time thread holds no references, so pushing it never retains.
    @Test func crossThreadMessagesAreTriviallyCopyable() {
        #expect(SPSCValueRing<VehicleSnapshot>.isTriviallyCopyable)
        #expect(SPSCValueRing<OperatorRequest>.isTriviallyCopyable)
        #expect(SPSCValueRing<OperatorReply>.isTriviallyCopyable)
        #expect(SPSCValueRing<RuntimeTimingSample>.isTriviallyCopyable)
    }

    /// One producer thread and one consumer thread, 200 000 values through 64 slots: every value that was not
    /// counted as an overflow arrives exactly once and in order.
    @Test func twoThreadsLoseNothingUncounted() throws {
        let ring = try SPSCValueRing<UInt64>(capacity: 64)
        let total: UInt64 = 200_000
        let producerDone = ManagedAtomic(false)
        let accepted = ManagedAtomic<UInt64>(0)
        let producer = LaunchedThread(name: "test-producer") {
            var n: UInt64 = 0
            for v in 0..<total where ring.push(v) { n += 1 }
            accepted.store(n, ordering: .relaxed)
            producerDone.store(true, ordering: .releasing)
        }
        var received: UInt64 = 0
        var last: UInt64?
        var ordered = true
        #expect(producer.start() == 0)
        while true {
            if let v = ring.pop() {
                if let l = last, v <= l { ordered = false }
                last = v
                received += 1
            } else if producerDone.load(ordering: .acquiring), ring.count == 0 {
                break
            }
        }
        producer.join()
        #expect(ordered)
        #expect(received == accepted.load(ordering: .relaxed))
        #expect(received + ring.overflows == total)
    }
}

@Suite struct TickTimingWindowTests {
    @Test func percentilesOfAKnownWindowThenReset() {
        var w = TickTimingWindow()
        // Jitter 1…100 µs, execution 101…200 µs: p50 50 / 150, p99 99 / 199, max 100 / 200 (exact below 256).
        for k in UInt64(1)...100 {
            w.record(TickTiming(deadlineUs: 1_000, wakeUs: 1_000 + k, executionNs: (100 + k) * 1000))
        }
        var s = RuntimeTimingSample()
        w.close(into: &s)
        #expect(s.windowTicks == 100)
        #expect((s.jitterP50Us, s.jitterP99Us, s.jitterMaxUs) == (50, 99, 100))
        #expect((s.executionP50Us, s.executionP99Us, s.executionMaxUs) == (150, 199, 200))
        // A wake before the deadline is no jitter; the next window starts empty.
        w.record(TickTiming(deadlineUs: 5_000, wakeUs: 4_990, executionNs: 7_000))
        var t = RuntimeTimingSample()
        w.close(into: &t)
        #expect(t.windowTicks == 1)
        #expect((t.jitterMaxUs, t.executionMaxUs) == (0, 7))
    }

    @Test func statusTextFitsOneStatustext() {
        var s = RuntimeTimingSample()
        (s.jitterP50Us, s.jitterP99Us, s.jitterMaxUs, s.executionP99Us) = (99_999, 999_999, 9_999_999, 999_999)
        s.tickOverruns = 99_999
        s.ringOverflows = 9_999
        #expect(s.statusText.utf8.count <= 50, "\(s.statusText)")
        #expect(s.statusText == "rt j99999/999999/999999 x999999 o99999 q9999")
        var small = RuntimeTimingSample()
        (small.jitterP50Us, small.jitterP99Us, small.jitterMaxUs, small.executionP99Us) = (14, 142, 281, 227)
        #expect(small.statusText == "rt j14/142/281 x227 o0 q0")
    }
}
