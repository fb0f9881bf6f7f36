/// Writes little-endian fields into a caller-provided, zero-filled payload region. A write that would not fit is
/// dropped and recorded in `overflowed` (the frame encoder sizes the region from the message, so it stays false).
public struct PayloadWriter {
    public let bytes: UnsafeMutableRawBufferPointer
    public private(set) var overflowed = false

    @inlinable public init(_ bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }

    public mutating func write<T: FixedWidthInteger & BitwiseCopyable>(_ value: T, at offset: Int) {
        guard offset >= 0, offset <= bytes.count - MemoryLayout<T>.size else {
            overflowed = true
            return
        }
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }

    public mutating func write(_ value: Float, at offset: Int) { write(value.bitPattern, at: offset) }

    public mutating func write(_ value: Double, at offset: Int) { write(value.bitPattern, at: offset) }

    public mutating func writeArray<let n: Int, T: FixedWidthInteger & BitwiseCopyable & Sendable>(
        _ array: MAVArray<n, T>, at offset: Int
    ) {
        for index in 0..<n { write(array[index], at: offset + index * MemoryLayout<T>.size) }
    }

    public mutating func writeArray<let n: Int>(_ array: MAVArray<n, Float>, at offset: Int) {
        for index in 0..<n { write(array[index], at: offset + index * 4) }
    }
}
