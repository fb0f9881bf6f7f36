import ConfigFiles

/// `[sensors.baro]`: static pressure sensor.
public struct BaroSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    public var noisePa: Double
    /// 1σ of the offset drawn at power-on.
    public var offsetSigmaPa: Double
    /// Slow thermal drift of the offset.
    public var driftPaPerS: Double

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", noisePa = "noise_pa", offsetSigmaPa = "offset_sigma_pa", driftPaPerS = "drift_pa_per_s"
    }

    public func validate() throws(ConfigValueError) {
        try requireRate(rateHz, "rate_hz")
        try Self.require(noisePa, in: 0...100, "noise_pa", unit: "Pa")
        try Self.require(offsetSigmaPa, in: 0...1000, "offset_sigma_pa", unit: "Pa")
        try Self.require(driftPaPerS, in: -10...10, "drift_pa_per_s", unit: "Pa/s")
    }
}
