/// CRC-16/MCRF4XX (MAVLink's "X.25" checksum): polynomial 0x1021 reflected (0x8408), initial value 0xFFFF,
/// no final XOR. Check value of the ASCII string "123456789" is 0x6F91.
public struct CRC16MCRF4XX: Sendable, Equatable {
    public private(set) var value: UInt16 = 0xFFFF

    public init() {}

    public mutating func update(_ byte: UInt8) {
        // Byte-wise form of the reflected polynomial: no table, so no static data to initialise.
        var mixed = byte ^ UInt8(truncatingIfNeeded: value)
        mixed ^= mixed << 4
        let wide = UInt16(mixed)
        value = (value >> 8) ^ (wide << 8) ^ (wide << 3) ^ (wide >> 4)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { update(byte) }
    }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc = CRC16MCRF4XX()
        for byte in bytes { crc.update(byte) }
        return crc.value
    }
}
