import ConfigFiles

/// `[sensors.airspeed]`: pitot-static differential pressure sensor.
public struct AirspeedSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    public var noisePa: Double
    public var offsetPa: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", noisePa = "noise_pa", offsetPa = "offset_pa"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(noisePa, in: 0...50, "noise_pa", unit: "Pa")
        try Self.require(offsetPa, in: -100...100, "offset_pa", unit: "Pa")
    }
}
