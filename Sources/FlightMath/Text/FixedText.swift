/// Text built without the heap: up to `capacity` UTF-8 bytes in inline storage, for messages composed on the
/// real-time thread (log lines of mode transitions and gate events). Appends that do not fit are cut at the
/// capacity and set `isTruncated`; nothing here traps or allocates (except `string`, for the edges and tests).
public struct FixedText: Sendable, Equatable, CustomStringConvertible {
    public static let capacity = 240
    private var storage = InlineArray<240, UInt8>(repeating: 0)
    public private(set) var count = 0
    /// True once an append did not fit whole.
    public private(set) var isTruncated = false

    public init() {}

    public init(_ text: StaticString) { append(text) }

    public init(_ value: some FixedTextWritable) { append(value) }

    public var isEmpty: Bool { count == 0 }

    public mutating func removeAll() {
        count = 0
        isTruncated = false
    }

    public mutating func append(byte: UInt8) {
        guard count < Self.capacity else { isTruncated = true; return }
        storage[count] = byte
        count += 1
    }

    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes in
            for b in bytes { append(byte: b) }
        }
    }

    public mutating func append(_ other: FixedText) {
        for i in 0..<other.count { append(byte: other.storage[i]) }
        if other.isTruncated { isTruncated = true }
    }

    public mutating func append(_ value: some FixedTextWritable) { value.write(to: &self) }

    /// Decimal, with a leading '-' for negative values.
    public mutating func append(_ value: Int) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        append(value.magnitude)
    }

    public mutating func append(_ value: UInt64) { append(UInt(value)) }

    public mutating func append(_ value: UInt) {
        // 20 digits hold UInt64.max.
        var digits = InlineArray<20, UInt8>(repeating: 0)
        var v = value, n = 0
        repeat {
            digits[n] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            n += 1
        } while v > 0 && n < 20
        while n > 0 {
            n -= 1
            append(byte: digits[n])
        }
    }

    /// Fixed-point with `decimals` digits after the point (0...9), rounded half away from zero; "nan", "inf" and
    /// "-inf" for non-finite values. Magnitudes of 1e18 and above are written as "inf" with their sign (no
    /// integer type holds them).
    public mutating func append(_ value: Double, decimals: Int) {
        if value.isNaN { append("nan"); return }
        let places = min(max(decimals, 0), 9)
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let magnitude = abs(value)
        let scaled = (magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero)
        // No "-0.0": a negative value that rounds to zero prints unsigned.
        if value < 0, scaled > 0 { append(byte: UInt8(ascii: "-")) }
        guard magnitude.isFinite, scaled < 1e18 else { append("inf"); return }
        let units = UInt64(scaled)
        append(units / scale)
        guard places > 0 else { return }
        append(byte: UInt8(ascii: "."))
        var fraction = units % scale
        var divisor = scale / 10
        for _ in 0..<places {
            append(byte: UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor = max(divisor / 10, 1)
        }
    }

    /// Two lowercase hex digits per byte.
    public mutating func appendHex(byte: UInt8) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { d in
            append(byte: d[Int(byte >> 4)])
            append(byte: d[Int(byte & 0x0F)])
        }
    }

    /// The bytes written, valid only inside `body`.
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.span.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all.prefix(count)))
        }
    }

    /// As a String (allocates: for the edges and tests, never the real-time thread).
    public var string: String { withUTF8 { String(decoding: $0, as: UTF8.self) } }
    public var description: String { string }

    public static func == (a: FixedText, b: FixedText) -> Bool {
        a.count == b.count && a.isTruncated == b.isTruncated && a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }
}

/// A value that can write its text into a `FixedText` without allocating.
public protocol FixedTextWritable {
    func write(to text: inout FixedText)
}
