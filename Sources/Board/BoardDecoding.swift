import FlightMath

/// Decoding helpers for board files: each failure is a `DecodingError` whose coding path is the offending key, so
/// the loader's message names it (`imu.address`, `pwm.channels[2].channel`).
extension KeyedDecodingContainer {
    /// A 7-bit I2C address a device may use: 0x00–0x02 and 0x78–0x7F are reserved by the I2C specification.
    func i2cAddress(_ key: Key) throws -> UInt8 {
        let value = try decode(Int.self, forKey: key)
        guard (0x03...0x77).contains(value) else {
            let shown = value >= 0 ? "0x" + String(value, radix: 16, uppercase: true) : "\(value)"
            throw invalid(key, "\(shown) is outside the usable 7-bit I2C address range 0x03…0x77")
        }
        return UInt8(value)
    }

    /// `/dev/i2c-N`.
    func i2cBus(_ key: Key) throws -> Int {
        let value = try decode(Int.self, forKey: key)
        guard (0...31).contains(value) else {
            throw invalid(key, "\(value) is not an I2C bus number (/dev/i2c-N with N 0…31; see i2cdetect -l)")
        }
        return value
    }

    /// A GPIO chip as gpiodetect names it (`gpiochip0`) or its path (`/dev/gpiochip0`).
    func gpioChip(_ key: Key) throws -> String {
        let value = try decode(String.self, forKey: key)
        guard value.hasPrefix("gpiochip") || value.hasPrefix("/dev/gpiochip") else {
            throw invalid(key, "'\(value)' is not a GPIO chip name (gpiochip0 …; see gpiodetect)")
        }
        return value
    }

    func integer(_ key: Key, in range: ClosedRange<Int>, unit: String = "") throws -> Int {
        let value = try decode(Int.self, forKey: key)
        guard range.contains(value) else {
            let u = unit.isEmpty ? "" : " \(unit)"
            throw invalid(key, "\(value)\(u) is outside the accepted range \(range.lowerBound)…\(range.upperBound)\(u)")
        }
        return value
    }

    /// One of a fixed set of spellings (strings or numbers as written in the file).
    func choice<T, Raw: Decodable & Equatable & CustomStringConvertible>(
        _ key: Key, as raw: Raw.Type, _ choices: [(Raw, T)]
    ) throws -> T {
        let value = try decode(Raw.self, forKey: key)
        for (spelling, result) in choices where spelling == value { return result }
        let list = choices.map { "\($0.0)" }.joined(separator: ", ")
        throw invalid(key, "'\(value)' is not one of \(list)")
    }

    /// Keys that belong to another variant of the table are errors, not silently ignored settings.
    func forbid(_ keys: [Key], _ reason: String) throws {
        for key in keys where contains(key) { throw invalid(key, reason) }
    }
}
