/// A first-in first-out ring of at most `capacity` elements in inline storage: pushing never allocates, and a
/// push into a full ring drops the oldest element (the caller is told, so it can count the loss).
struct FixedRing<let capacity: Int, Element: Sendable>: Sendable {
    private var storage: InlineArray<capacity, Element>
    private var head = 0
    private(set) var count = 0

    init(filler: Element) { storage = InlineArray(repeating: filler) }

    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == capacity }

    /// Appends `element`; returns false when the ring was full and its oldest element was dropped to make room.
    @discardableResult mutating func push(_ element: Element) -> Bool {
        if count == capacity {
            storage[head] = element
            head = (head + 1) % capacity
            return false
        }
        storage[(head + count) % capacity] = element
        count += 1
        return true
    }

    var oldest: Element? { count > 0 ? storage[head] : nil }

    mutating func popOldest() -> Element? {
        guard count > 0 else { return nil }
        let e = storage[head]
        head = (head + 1) % capacity
        count -= 1
        return e
    }

    /// The element `offset` places after the oldest; `offset` must be in `0..<count`.
    subscript(offset: Int) -> Element { storage[(head + offset) % capacity] }

    mutating func removeAll() {
        head = 0
        count = 0
    }
}
