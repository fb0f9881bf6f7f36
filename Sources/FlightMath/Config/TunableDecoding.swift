/// Decoding of tunables (gains, limits) that have a default and an accepted range. A key that is absent takes the
/// default, so an airframe file only lists what it changes; a key that is present but non-finite or out of range is
/// a `DecodingError.dataCorrupted` whose coding path names that key, so a config loader can report file and key.
extension KeyedDecodingContainer {
    public func tunable(_ key: Key, default defaultValue: Double, in range: ClosedRange<Double>,
                        unit: String = "") throws -> Double {
        let value = try decodeIfPresent(Double.self, forKey: key) ?? defaultValue
        guard value.isFinite, range.contains(value) else {
            let u = unit.isEmpty ? "" : " \(unit)"
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "\(value)\(u) is outside the accepted range "
                    + "\(range.lowerBound)…\(range.upperBound)\(u)"))
        }
        tunableRecorder?.note(codingPath + [key], value, range, unit: unit)
        return value
    }

    public func tunable(_ key: Key, default defaultValue: Bool) throws -> Bool {
        let value = try decodeIfPresent(Bool.self, forKey: key) ?? defaultValue
        tunableRecorder?.note(codingPath + [key], value ? 1 : 0, 0...1, kind: .flag)
        return value
    }

    /// A consistency failure between keys of one table (for example a minimum above a maximum), named by `key`.
    public func invalid(_ key: Key, _ reason: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: reason))
    }
}
