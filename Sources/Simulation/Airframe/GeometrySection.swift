import ConfigFiles

/// `[geometry]`: reference dimensions the aerodynamic coefficients are normalised with.
public struct GeometrySection: Codable, Hashable, Sendable, ValidatedConfig {
    public var wingAreaM2: Double
    public var spanM: Double
    /// Mean aerodynamic chord.
    public var chordM: Double

    enum CodingKeys: String, CodingKey {
        case wingAreaM2 = "wing_area_m2", spanM = "span_m", chordM = "chord_m"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(wingAreaM2, in: 0.01...10, "wing_area_m2", unit: "m²")
        try Self.require(spanM, in: 0.1...10, "span_m", unit: "m")
        try Self.require(chordM, in: 0.01...3, "chord_m", unit: "m")
    }

    public var aspectRatio: Double { spanM * spanM / wingAreaM2 }
}
