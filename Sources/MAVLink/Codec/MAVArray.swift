/// A fixed-length MAVLink array field (`uint8_t[16]`, `char[50]`, `float[4]` …) stored inline: no heap, value
/// semantics. Indices outside `0..<count` read as zero and ignore writes, so a bad index in a handler cannot trap.
public struct MAVArray<let count: Int, Element: BitwiseCopyable & Equatable & Sendable & ExpressibleByIntegerLiteral>:
    Equatable, Sendable
{
    @usableFromInline var storage: InlineArray<count, Element>

    @inlinable public init(repeating value: Element) { storage = InlineArray(repeating: value) }

    @inlinable public subscript(index: Int) -> Element {
        get { index >= 0 && index < count ? storage[index] : 0 }
        set { if index >= 0 && index < count { storage[index] = newValue } }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        for index in 0..<count where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }
}

extension MAVArray {
    /// Fills from `elements`, zero-padding (or cutting) to `count`.
    public init(_ elements: some Sequence<Element>) {
        self.init(repeating: 0)
        var index = 0
        for element in elements {
            guard index < count else { break }
            storage[index] = element
            index += 1
        }
    }

    /// The elements as an array (tests, tools).
    public var elements: [Element] { (0..<count).map { storage[$0] } }
}

extension MAVArray where Element == UInt8 {
    /// A `char[N]` field from text: UTF-8, cut to `count` bytes, NUL-padded (no terminator when it fills the field,
    /// as MAVLink allows).
    public init(text: String) { self.init(text.utf8) }

    /// The text of a `char[N]` field: bytes up to the first NUL, invalid UTF-8 repaired. Allocates; not for the
    /// per-message path.
    public var text: String {
        var bytes: [UInt8] = []
        for index in 0..<count {
            let byte = storage[index]
            if byte == 0 { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
