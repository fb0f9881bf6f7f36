/// Reads little-endian fields from a received payload. Reads past the end of the payload return zero bytes:
/// that is MAVLink 2's zero-extension of truncated payloads (and of older senders without extension fields).
public struct PayloadReader {
    public let bytes: UnsafeRawBufferPointer

    @inlinable public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable public func read<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, at offset: Int) -> T {
        let size = MemoryLayout<T>.size
        if offset >= 0, offset <= bytes.count - size {
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        // Straddles (or lies beyond) the end: the missing bytes are zero.
        var value: UInt64 = 0
        for index in 0..<size {
            let position = offset + index
            if position >= 0, position < bytes.count {
                value |= UInt64(bytes[position]) << UInt64(8 * index)
            }
        }
        return T(truncatingIfNeeded: value)
    }

    @inlinable public func read(_ type: Float.Type, at offset: Int) -> Float {
        Float(bitPattern: read(UInt32.self, at: offset))
    }

    @inlinable public func read(_ type: Double.Type, at offset: Int) -> Double {
        Double(bitPattern: read(UInt64.self, at: offset))
    }

    @inlinable public func readArray<let n: Int, T: FixedWidthInteger & BitwiseCopyable & Sendable>(
        at offset: Int
    ) -> MAVArray<n, T> {
        var array = MAVArray<n, T>(repeating: 0)
        for index in 0..<n { array[index] = read(T.self, at: offset + index * MemoryLayout<T>.size) }
        return array
    }

    @inlinable public func readArray<let n: Int>(at offset: Int) -> MAVArray<n, Float> {
        var array = MAVArray<n, Float>(repeating: 0)
        for index in 0..<n { array[index] = read(Float.self, at: offset + index * 4) }
        return array
    }
}
