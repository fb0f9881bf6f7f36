/// Builds one NMEA sentence or UBX frame in a buffer allocated once, with the number formatting NMEA needs
/// (zero-padded integers, fixed decimals) done on integers so nothing allocates per epoch.
struct FrameWriter {
    private(set) var bytes: [UInt8]
    private(set) var count = 0

    init(capacity: Int = 256) { bytes = [UInt8](repeating: 0, count: capacity) }

    mutating func clear() { count = 0 }

    mutating func byte(_ b: UInt8) {
        guard count < bytes.count else { return }
        bytes[count] = b
        count += 1
    }

    mutating func text(_ s: StaticString) {
        s.withUTF8Buffer { for b in $0 { byte(b) } }
    }

    mutating func comma() { byte(0x2C) }

    /// Decimal digits of `value`, left-padded with zeros to `width`.
    mutating func digits(_ value: UInt64, width: Int = 1) {
        var divisor: UInt64 = 1
        var needed = 1
        while value / divisor >= 10 {
            divisor *= 10
            needed += 1
        }
        if width > needed { for _ in 0..<(width - needed) { byte(0x30) } }
        while divisor > 0 {
            byte(0x30 &+ UInt8(truncatingIfNeeded: (value / divisor) % 10))
            divisor /= 10
        }
    }

    /// `value` rounded to `decimals` places, with at least `integerWidth` integer digits.
    mutating func fixed(_ value: Double, decimals: Int, integerWidth: Int = 1) {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let magnitude = abs(value) * Double(scale)
        let scaled = magnitude.isFinite && magnitude < 1e17 ? UInt64(magnitude.rounded()) : 0
        if value < 0 && scaled != 0 { byte(0x2D) }
        digits(scaled / scale, width: integerWidth)
        if decimals > 0 {
            byte(0x2E)
            digits(scaled % scale, width: decimals)
        }
    }

    mutating func hexByte(_ value: UInt8) {
        let table: StaticString = "0123456789ABCDEF"
        table.withUTF8Buffer { hex in
            byte(hex[Int(value >> 4)])
            byte(hex[Int(value & 0x0F)])
        }
    }

    mutating func littleEndian(_ value: UInt32, bytes n: Int) {
        for i in 0..<n { byte(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    mutating func littleEndian(_ value: Int32) { littleEndian(UInt32(bitPattern: value), bytes: 4) }

    /// NMEA: closes the sentence started with `$` with `*`, the XOR checksum of everything between, and CR LF.
    mutating func finishNMEA() {
        var checksum: UInt8 = 0
        if count > 1 { for i in 1..<count { checksum ^= bytes[i] } }
        byte(0x2A)
        hexByte(checksum)
        byte(0x0D)
        byte(0x0A)
    }

    /// UBX: appends the 8-bit Fletcher checksum over class, id, length and payload (everything after the sync).
    mutating func finishUBX() {
        var a: UInt8 = 0, b: UInt8 = 0
        if count > 2 {
            for i in 2..<count {
                a &+= bytes[i]
                b &+= a
            }
        }
        byte(a)
        byte(b)
    }
}

