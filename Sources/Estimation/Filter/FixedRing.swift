/// A first-in first-out ring of at most `capacity` elements in inline storage: pushing never allocates, and a
/// push into a full ring drops the oldest element (the caller is told, so it can count the loss).
///
/// Every access goes through a pointer to the storage from a mutating method: reading an element of a stored
/// InlineArray through a non-mutating getter was seen to copy the whole array (8 KB for the IMU ring) first.
struct FixedRing<let capacity: Int, Element: Sendable>: Sendable {
    private var storage: InlineArray<capacity, Element>
    private var head = 0
    private(set) var count = 0

    init(filler: Element) { storage = InlineArray(repeating: filler) }

    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == capacity }

    @inline(__always) private mutating func withSlots<R>(_ body: (UnsafeMutablePointer<Element>) -> R) -> R {
        withUnsafeMutablePointer(to: &storage) { array in
            array.withMemoryRebound(to: Element.self, capacity: capacity) { body($0) }
        }
    }

    /// Appends `element`; returns false when the ring was full and its oldest element was dropped to make room.
    @discardableResult mutating func push(_ element: Element) -> Bool {
        let full = count == capacity
        let slot = full ? head : (head + count) % capacity
        withSlots { $0[slot] = element }
        if full {
            head = (head + 1) % capacity
        } else {
            count += 1
        }
        return !full
    }

    /// The oldest element, left in place.
    mutating func peekOldest() -> Element? {
        guard count > 0 else { return nil }
        let h = head
        return withSlots { $0[h] }
    }

    mutating func popOldest() -> Element? {
        guard let e = peekOldest() else { return nil }
        head = (head + 1) % capacity
        count -= 1
        return e
    }

    /// The element `offset` places after the oldest; `offset` is clamped into `0..<count` (count must be > 0).
    mutating func element(at offset: Int) -> Element {
        let slot = (head + Swift.min(Swift.max(offset, 0), Swift.max(count - 1, 0))) % capacity
        return withSlots { $0[slot] }
    }

    /// Calls `body` with every element, oldest first, without the per-element modulo of `element(at:)` (the
    /// output re-propagation walks the whole IMU ring this way).
    @inline(__always) mutating func forEachOldestFirst(_ body: (Element) -> Void) {
        let first = head, n = count
        withSlots { slots in
            let wrapped = Swift.max(first + n - capacity, 0)
            for slot in first..<(first + n - wrapped) { body(slots[slot]) }
            for slot in 0..<wrapped { body(slots[slot]) }
        }
    }

    mutating func removeAll() {
        head = 0
        count = 0
    }
}
