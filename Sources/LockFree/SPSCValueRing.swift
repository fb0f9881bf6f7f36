import Atomics

/// Lock-free single-producer / single-consumer queue of fixed-size values: how the real-time thread and the
/// telemetry and log threads hand each other snapshots, operator commands and replies.
///
/// The same indices (`SPSCIndices`) as FlightLog's `SPSCRecordRing` (which carries variable-length encoded
/// records), for typed values instead of bytes: storage is allocated once in `init`; `push` and `pop` never allocate, lock or block.
/// When the ring is full the new value is dropped and counted (`overflows`): the producer never waits, so a stalled
/// consumer can never stall the flight loop. Use it with trivially copyable elements (`isTriviallyCopyable`): a
/// value holding references would retain and release on the real-time thread.
///
/// Thread contract: at most one thread calls `push`, at most one thread calls `pop`/`popLatest`.
public final class SPSCValueRing<Element>: @unchecked Sendable {
    public var capacity: Int { indices.capacity }
    private let storage: UnsafeMutablePointer<Element>
    private var indices: SPSCIndices
    private let overflowCount = ManagedAtomic<UInt64>(0)
    private let pushedCount = ManagedAtomic<UInt64>(0)

    /// `capacity` must be a power of two between 2 and 2^20.
    public init(capacity: Int) throws(SPSCValueRingError) {
        guard let indices = SPSCIndices(capacity: capacity, maxCapacity: 1 << 20) else {
            throw .invalidCapacity(capacity)
        }
        self.indices = indices
        storage = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit {
        // Values still queued were initialised by `push` and never moved out.
        for slot in indices.filledSlots { (storage + slot).deinitialize(count: 1) }
        storage.deallocate()
    }

    /// True when `Element` holds no references (copying it is a plain memory copy).
    public static var isTriviallyCopyable: Bool { _isPOD(Element.self) }

    /// Values dropped because the ring was full.
    public var overflows: UInt64 { overflowCount.load(ordering: .relaxed) }
    /// Values queued since start (not counting overflows).
    public var pushed: UInt64 { pushedCount.load(ordering: .relaxed) }
    /// Values waiting; exact only while the other side is idle.
    public var count: Int { indices.pending }

    /// Producer: queues `value`, or drops and counts it when the ring is full. Returns whether it was queued.
    @discardableResult
    public func push(_ value: Element) -> Bool {
        guard indices.producerHasRoom(1) else {
            overflowCount.wrappingIncrement(ordering: .relaxed)
            return false
        }
        (storage + indices.producerSlot).initialize(to: value)
        indices.producerCommit()
        pushedCount.wrappingIncrement(ordering: .relaxed)
        return true
    }

    /// Consumer: the oldest queued value, or nil when empty.
    public func pop() -> Element? {
        guard let slot = indices.consumerSlot() else { return nil }
        let value = (storage + slot).move()
        indices.consumerRelease()
        return value
    }

    /// Consumer: drains the ring and returns the newest value (for state snapshots, where only the latest counts).
    public func popLatest() -> Element? {
        var latest: Element?
        while let value = pop() { latest = value }
        return latest
    }
}

public enum SPSCValueRingError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidCapacity(Int)

    public var description: String {
        switch self {
        case .invalidCapacity(let n): "ring capacity \(n) must be a power of two between 2 and 1048576"
        }
    }
}
