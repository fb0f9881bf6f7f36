/// Writes little-endian values into caller-owned memory. It never allocates and never traps: a write that does
/// not fit sets `overflowed` and is dropped, so the caller can discard the whole record.
public struct ULogByteCursor {
    public let base: UnsafeMutableRawPointer
    public let capacity: Int
    @usableFromInline var writeOffset: Int = 0
    @usableFromInline var didOverflow = false

    /// Bytes written so far.
    @inlinable public var position: Int { writeOffset }
    /// True once any write did not fit; everything written since the record began must be discarded.
    @inlinable public var overflowed: Bool { didOverflow }

    @inlinable public init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base; self.capacity = capacity
    }

    @inlinable public init(_ buffer: UnsafeMutableRawBufferPointer) {
        // An empty buffer may have a nil base; give it a dummy non-null pointer with zero capacity.
        self.base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x10).unsafelyUnwrapped
        self.capacity = buffer.baseAddress == nil ? 0 : buffer.count
    }

    @inlinable public var remaining: Int { capacity - position }

    @inlinable mutating func reserve(_ n: Int) -> Int? {
        guard !didOverflow, n <= capacity - writeOffset else { didOverflow = true; return nil }
        let at = writeOffset
        writeOffset += n
        return at
    }

    @inlinable public mutating func write<T: FixedWidthInteger>(_ value: T) {
        guard let at = reserve(MemoryLayout<T>.size) else { return }
        base.storeBytes(of: value.littleEndian, toByteOffset: at, as: T.self)
    }

    @inlinable public mutating func write(_ value: Float) { write(value.bitPattern) }
    @inlinable public mutating func write(_ value: Double) { write(value.bitPattern) }
    @inlinable public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    @inlinable public mutating func write(bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let src = bytes.baseAddress else { return }
        guard let at = reserve(bytes.count) else { return }
        (base + at).copyMemory(from: src, byteCount: bytes.count)
    }

    /// UTF-8 of a string, no terminator (ULog strings are sized by their message). Iterates the UTF-8 view, which
    /// does not allocate.
    @inlinable public mutating func write<S: StringProtocol>(utf8 text: S) {
        for b in text.utf8 { write(b) }
    }

    /// Marks the record as unusable (e.g. a key longer than its length byte can say).
    @inlinable public mutating func markOverflow() { didOverflow = true }

    /// Overwrites a value written earlier (message sizes are known only at the end).
    @inlinable public mutating func patch(_ value: UInt16, at offset: Int) {
        guard offset >= 0, offset + 2 <= writeOffset else { didOverflow = true; return }
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self)
    }
}
