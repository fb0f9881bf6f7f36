import Atomics

/// The index discipline of a lock-free single-producer / single-consumer ring of `capacity` slots (a power of
/// two), shared by `SPSCValueRing` (typed values) and FlightLog's `SPSCRecordRing` (encoded records): slot
/// numbers grow without wrapping, `head` is written only by the consumer and `tail` only by the producer, and each
/// side keeps a private copy so a push usually reads no cache line the consumer writes. It holds no storage: the
/// ring owns its slots and asks this which slot to fill or read next.
///
/// Thread contract: the `producer…` methods on one thread, the `consumer…` methods on one thread.
public struct SPSCIndices: @unchecked Sendable {
    public let capacity: Int
    private let head = ManagedAtomic<Int>(0)
    private let tail = ManagedAtomic<Int>(0)
    private var producerTail = 0
    private var producerHeadCache = 0
    private var consumerHead = 0

    /// `capacity` must be a power of two between 2 and `maxCapacity`; nil otherwise.
    public init?(capacity: Int, maxCapacity: Int) {
        guard capacity >= 2, capacity <= maxCapacity, capacity & (capacity - 1) == 0 else { return nil }
        self.capacity = capacity
    }

    /// Slots filled and not yet read; exact only while the other side is idle.
    public var pending: Int { tail.load(ordering: .acquiring) - head.load(ordering: .acquiring) }

    // MARK: Producer

    /// True when `n` slots are free now.
    public mutating func producerHasRoom(_ n: Int) -> Bool {
        if producerTail - producerHeadCache + n <= capacity { return true }
        producerHeadCache = head.load(ordering: .acquiring)
        return producerTail - producerHeadCache + n <= capacity
    }

    /// The storage index of the next slot to fill (check `producerHasRoom(1)` first).
    public var producerSlot: Int { producerTail & (capacity - 1) }

    /// Publishes the filled slot to the consumer.
    public mutating func producerCommit() {
        producerTail += 1
        tail.store(producerTail, ordering: .releasing)
    }

    // MARK: Consumer

    /// The storage index of the oldest filled slot, or nil when none is.
    public mutating func consumerSlot() -> Int? {
        consumerHead < tail.load(ordering: .acquiring) ? consumerHead & (capacity - 1) : nil
    }

    /// Frees the slot `consumerSlot()` returned.
    public mutating func consumerRelease() {
        consumerHead += 1
        head.store(consumerHead, ordering: .releasing)
    }

    /// Storage indices of the filled slots, oldest first, without freeing them (a ring's deinit).
    public var filledSlots: [Int] {
        let h = head.load(ordering: .acquiring), t = tail.load(ordering: .acquiring)
        return (h..<max(h, t)).map { $0 & (capacity - 1) }
    }
}
