import Testing
@testable import FlightLog
import Foundation
import PropertyBased

@Suite struct RingTests {
    func pushValue(_ ring: SPSCRecordRing, _ v: UInt32) -> Bool {
        ring.push { c in c.write(v); return true }
    }

    func drainValues(_ ring: SPSCRecordRing) -> [UInt32] {
        var out: [UInt32] = []
        ring.drain { out.append($0.loadUnaligned(as: UInt32.self)) }
        return out
    }

    @Test func rejectsBadGeometry() {
        #expect(throws: SPSCRecordRingError.invalidSlotCount(6)) { try SPSCRecordRing(slotCount: 6, recordCapacityBytes: 8) }
        #expect(throws: SPSCRecordRingError.invalidRecordCapacity(70_000)) {
            try SPSCRecordRing(slotCount: 8, recordCapacityBytes: 70_000)
        }
    }

    @Test func fillsExactlyToCapacityThenCountsDrops() throws {
        let ring = try SPSCRecordRing(slotCount: 8, recordCapacityBytes: 16)
        for v in 0..<8 { #expect(pushValue(ring, UInt32(v))) }
        for v in 8..<13 { #expect(!pushValue(ring, UInt32(v))) }
        #expect(ring.droppedWhenFull == 5)
        #expect(drainValues(ring) == Array(0..<8))
        // Space is reusable after draining, and wrap-around keeps order.
        for v in 100..<106 { #expect(pushValue(ring, UInt32(v))) }
        #expect(drainValues(ring) == Array(100..<106))
        #expect(ring.droppedWhenFull == 5)
    }

    @Test func oversizeRecordIsCountedSeparately() throws {
        let ring = try SPSCRecordRing(slotCount: 4, recordCapacityBytes: 6)
        #expect(!ring.push { c in c.write(UInt64(1)); return true })
        #expect(ring.droppedOversize == 1 && ring.droppedWhenFull == 0)
        #expect(ring.pendingCount == 0)
    }

    /// The producer marks a gap with a dropout message whose duration runs from the first lost record to the
    /// first record that fits again, and the ring counts every lost record.
    @Test func producerWritesDropoutForLostRecords() throws {
        let ring = try SPSCRecordRing(slotCount: 4, recordCapacityBytes: 128)
        let producer = ULogProducer(ring: ring)
        var r = ULogTopicRegistry()
        let h = try r.register(Airspeed.self)
        func sample(_ t: UInt64) -> Airspeed { var a = Airspeed(); a.timestampUs = t; a.trueAirspeedMps = Float(t); return a }
        for k in 0..<4 { #expect(producer.log(sample(1_000 + UInt64(k) * 10_000), to: h)) }
        // Full: these three are lost, the first at t = 41 000 µs.
        for k in 4..<7 { #expect(!producer.log(sample(1_000 + UInt64(k) * 10_000), to: h)) }
        var drained: [[UInt8]] = []
        ring.drain { drained.append(Array($0)) }
        #expect(drained.count == 4)
        #expect(producer.log(sample(71_000), to: h))
        #expect(ring.droppedWhenFull == 3)
        drained = []
        ring.drain { drained.append(Array($0)) }
        #expect(drained.count == 2)
        // 71 000 - 41 000 µs = 30 ms
        #expect(drained[0] == [2, 0, 0x4F, 30, 0])
        #expect(drained[1][2] == 0x44)
        #expect(producer.dropoutMessagesQueued == 1)
    }

    /// Any interleaving of pushes and drains behaves like a bounded FIFO that drops when full.
    @Test func matchesBoundedQueueModel() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...12).array(of: 1...40), Gen.int(in: 0...12).array(of: 1...40)) {
            pushes, drains in
            guard let ring = try? SPSCRecordRing(slotCount: 8, recordCapacityBytes: 4) else { #expect(Bool(false)); return }
            var model: [UInt32] = []
            var modelDrops = 0
            var next: UInt32 = 0
            for (p, d) in zip(pushes, drains) {
                for _ in 0..<p {
                    let ok = pushValue(ring, next)
                    if model.count < 8 { model.append(next); #expect(ok) } else { modelDrops += 1; #expect(!ok) }
                    next += 1
                }
                var got: [UInt32] = []
                ring.drain(maxRecords: d) { got.append($0.loadUnaligned(as: UInt32.self)) }
                let expected = Array(model.prefix(d))
                model.removeFirst(expected.count)
                #expect(got == expected)
            }
            #expect(ring.droppedWhenFull == modelDrops)
        }
    }

    /// Producer and consumer on two threads: everything not counted as dropped arrives, in order, once.
    @Test func concurrentProducerConsumerAccountsForEveryRecord() throws {
        let ring = try SPSCRecordRing(slotCount: 64, recordCapacityBytes: 8)
        let total = 200_000
        let done = ManagedFlag()
        let producer = Thread {
            for v in 0..<total { _ = ring.push { c in c.write(UInt32(v)); return true } }
            done.set()
        }
        var received = 0
        var last: Int64 = -1
        var ordered = true
        producer.start()
        while true {
            let finished = done.isSet
            ring.drain { raw in
                let v = Int64(raw.loadUnaligned(as: UInt32.self))
                if v <= last { ordered = false }
                last = v
                received += 1
            }
            if finished && ring.pendingCount == 0 { break }
        }
        #expect(ordered)
        #expect(received + ring.droppedWhenFull == total)
        #expect(received > 0)
        #expect(last == Int64(total - 1) || ring.droppedWhenFull > 0)
    }
}

/// A flag set on one thread and read on another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
