import Atomics
import LockFree

/// Lock-free single-producer / single-consumer queue of variable-length records in fixed-size slots.
///
/// The real-time thread (the one producer) encodes a record straight into a free slot; the log thread (the one
/// consumer) reads slots in order. Storage is allocated once in `init`; `push` and `drain` never allocate, lock
/// or block. When the ring is full the record is dropped and counted — the producer never waits.
///
/// Thread contract: at most one thread calls the producer methods (`push`, `hasFreeSlots`) and at most one
/// thread calls `drain` at any time.
public final class SPSCRecordRing: @unchecked Sendable {
    public var slotCount: Int { indices.capacity }
    /// Largest record a slot holds.
    public let recordCapacityBytes: Int
    private let slotStride: Int
    private let storage: UnsafeMutableRawPointer
    private var indices: SPSCIndices
    private let droppedFullCount = ManagedAtomic<Int>(0)
    private let droppedOversizeCount = ManagedAtomic<Int>(0)

    /// `slotCount` must be a power of two ≥ 2; `recordCapacityBytes` ≤ 65535.
    public init(slotCount: Int, recordCapacityBytes: Int) throws(SPSCRecordRingError) {
        guard let indices = SPSCIndices(capacity: slotCount, maxCapacity: 1 << 24) else {
            throw .invalidSlotCount(slotCount)
        }
        guard recordCapacityBytes > 0, recordCapacityBytes <= Int(UInt16.max) else {
            throw .invalidRecordCapacity(recordCapacityBytes)
        }
        self.indices = indices
        self.recordCapacityBytes = recordCapacityBytes
        // 2-byte length prefix, slots 8-byte aligned.
        slotStride = (recordCapacityBytes + 2 + 7) & ~7
        storage = UnsafeMutableRawPointer.allocate(byteCount: slotStride * slotCount, alignment: 64)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: slotStride * slotCount)
    }

    deinit { storage.deallocate() }

    /// Records dropped because the ring was full (the consumer fell behind).
    public var droppedWhenFull: Int { droppedFullCount.load(ordering: .relaxed) }
    /// Records dropped because they did not fit a slot or failed to encode.
    public var droppedOversize: Int { droppedOversizeCount.load(ordering: .relaxed) }
    /// Records waiting; exact only when the other side is idle.
    public var pendingCount: Int { indices.pending }

    /// Producer: true when `n` slots are free now.
    public func hasFreeSlots(_ n: Int) -> Bool { indices.producerHasRoom(n) }

    /// Producer: encodes one record into the next free slot. `encode` returns false (or overflows the cursor)
    /// to abandon the record. Returns whether the record was queued.
    @discardableResult
    public func push(_ encode: (inout ULogByteCursor) -> Bool) -> Bool {
        guard hasFreeSlots(1) else {
            droppedFullCount.wrappingIncrement(ordering: .relaxed)
            return false
        }
        let slot = storage + indices.producerSlot * slotStride
        var cursor = ULogByteCursor(base: slot + 2, capacity: recordCapacityBytes)
        guard encode(&cursor), !cursor.overflowed, cursor.position > 0 else {
            droppedOversizeCount.wrappingIncrement(ordering: .relaxed)
            return false
        }
        slot.storeBytes(of: UInt16(cursor.position), as: UInt16.self)
        indices.producerCommit()
        return true
    }

    /// Producer: counts a record the producer chose to drop for lack of room (e.g. no room for a record and
    /// the dropout marker that must precede it).
    public func countDroppedWhenFull() {
        droppedFullCount.wrappingIncrement(ordering: .relaxed)
    }

    /// Consumer: hands each queued record, oldest first, to `body` and frees its slot. Returns the count.
    @discardableResult
    public func drain(maxRecords: Int = Int.max, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows -> Int {
        var n = 0
        while n < maxRecords, let index = indices.consumerSlot() {
            let slot = UnsafeRawPointer(storage + index * slotStride)
            let length = min(Int(slot.load(as: UInt16.self)), recordCapacityBytes)
            try body(UnsafeRawBufferPointer(start: slot + 2, count: length))
            indices.consumerRelease()
            n += 1
        }
        return n
    }
}

public enum SPSCRecordRingError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidSlotCount(Int)
    case invalidRecordCapacity(Int)

    public var description: String {
        switch self {
        case .invalidSlotCount(let n): "ring slot count \(n) must be a power of two between 2 and 16777216"
        case .invalidRecordCapacity(let n): "ring record capacity \(n) bytes must be between 1 and 65535"
        }
    }
}
