import FlightMath

/// Read-only view of one checksum-verified NMEA sentence body (between `$` and `*`) split at commas.
/// Works on the parser's fixed buffer; nothing is copied or allocated.
struct NMEAFields {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Start offsets of each field; field i ends at starts[i + 1] - 1 (the comma) or at the end of the body.
    let starts: UnsafeBufferPointer<UInt8>
    let count: Int

    func field(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        guard index >= 0, index < count else { return nil }
        let start = Int(starts[index])
        let end = index + 1 < count ? Int(starts[index + 1]) - 1 : bytes.count
        guard start <= end, end <= bytes.count else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    func isEmpty(_ index: Int) -> Bool { field(index)?.isEmpty ?? true }

    /// A single-character field ("A", "N", "E" ...).
    func character(_ index: Int) -> UInt8? {
        guard let f = field(index), f.count == 1 else { return nil }
        return f[0]
    }

    /// A decimal number such as "-12.345"; nil when empty or malformed.
    func number(_ index: Int) -> Double? {
        guard let f = field(index) else { return nil }
        return NMEAFields.parseDecimal(f)
    }

    func integer(_ index: Int) -> Int? {
        guard let f = field(index), !f.isEmpty, f.count <= 9 else { return nil }
        var value = 0
        for c in f {
            guard c >= 0x30, c <= 0x39 else { return nil }
            value = value * 10 + Int(c - 0x30)
        }
        return value
    }

    static func parseDecimal(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !f.isEmpty, f.count <= 20 else { return nil }
        var index = 0
        var negative = false
        if f[0] == UInt8(ascii: "-") || f[0] == UInt8(ascii: "+") {
            negative = f[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < f.count {
            let c = f[index]
            if c == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else if c >= 0x30 && c <= 0x39 {
                guard digits < 17 else { return nil }
                mantissa = mantissa * 10 + UInt64(c - 0x30)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        var value = Double(mantissa)
        for _ in 0..<fractionDigits { value /= 10 }
        return negative ? -value : value
    }

    /// "ddmm.mmmm" / "dddmm.mmmm" with hemisphere in the next field, to signed degrees.
    func coordinateDeg(_ index: Int, positive: UInt8, negative: UInt8, maxDeg: Double) -> Double? {
        guard let raw = number(index), raw >= 0, let hemisphere = character(index + 1) else { return nil }
        let degrees = (raw / 100).rounded(.towardZero)
        let minutes = raw - degrees * 100
        guard minutes < 60 else { return nil }
        let value = degrees + minutes / 60
        guard value <= maxDeg else { return nil }
        switch hemisphere {
        case positive: return value
        case negative: return -value
        default: return nil
        }
    }

    /// "hhmmss.sss" to milliseconds of the UTC day.
    func timeOfDayMs(_ index: Int) -> Int? {
        guard let f = field(index), f.count >= 6, let seconds = number(index) else { return nil }
        let hh = Int(seconds / 10_000)
        let mm = Int(seconds / 100) % 100
        let ss = seconds - Double(hh * 10_000 + mm * 100)
        guard hh >= 0, hh < 24, mm >= 0, mm < 60, ss >= 0, ss < 61 else { return nil }
        return (hh * 3600 + mm * 60) * 1000 + Int((ss * 1000).rounded())
    }

    /// RMC date `ddmmyy` to the UTC start of that day (µs since 1970). NMEA 0183 has no century: years 80–99 are
    /// 1980–1999 (GPS epoch onwards, as the standard's own examples are), 00–79 are 2000–2079.
    func dateMidnightUnixUs(_ index: Int) -> UInt64? {
        guard let f = field(index), f.count == 6 else { return nil }
        var digits = (0, 0, 0, 0, 0, 0)
        for (i, byte) in f.enumerated() {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let d = Int(byte - 0x30)
            switch i {
            case 0: digits.0 = d
            case 1: digits.1 = d
            case 2: digits.2 = d
            case 3: digits.3 = d
            case 4: digits.4 = d
            default: digits.5 = d
            }
        }
        let yy = digits.4 * 10 + digits.5
        let date = UTCTime(year: yy < 80 ? 2000 + yy : 1900 + yy, month: digits.2 * 10 + digits.3,
                           day: digits.0 * 10 + digits.1, hour: 0, minute: 0, second: 0)
        return date.unixUs.map { UInt64($0) }
    }
}
