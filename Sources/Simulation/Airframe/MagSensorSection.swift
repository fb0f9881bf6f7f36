import ConfigFiles

/// `[sensors.mag]`: three-axis magnetometer in a fixed earth field.
public struct MagSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    /// Earth field at the flying site (a world magnetic model value for the place, entered by hand).
    public var declinationDeg: Double
    public var inclinationDeg: Double
    public var fieldStrengthGauss: Double
    /// Constant field of the airframe itself (motor magnets, steel), body FRD.
    public var hardIronFRDGauss: [Double]
    public var noiseGauss: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", declinationDeg = "declination_deg", inclinationDeg = "inclination_deg"
        case fieldStrengthGauss = "field_strength_gauss", hardIronFRDGauss = "hard_iron_frd_gauss"
        case noiseGauss = "noise_gauss"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(declinationDeg, in: -180...180, "declination_deg", unit: "deg")
        try Self.require(inclinationDeg, in: -90...90, "inclination_deg", unit: "deg")
        try Self.require(fieldStrengthGauss, in: 0.2...0.7, "field_strength_gauss", unit: "G")
        guard hardIronFRDGauss.count == 3 else {
            throw ConfigValueError(keyPath: "hard_iron_frd_gauss",
                                   reason: "needs 3 values (forward, right, down), found \(hardIronFRDGauss.count)")
        }
        for (i, v) in hardIronFRDGauss.enumerated() {
            try Self.require(v, in: -2...2, "hard_iron_frd_gauss[\(i)]", unit: "G")
        }
        try Self.require(noiseGauss, in: 0...0.1, "noise_gauss", unit: "G")
    }
}
