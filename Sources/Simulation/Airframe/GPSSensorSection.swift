import ConfigFiles

/// `[sensors.gps]`: receiver solution. Position errors are correlated (Gauss–Markov), velocity errors white.
public struct GPSSensorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var rateHz: Double
    /// Age of a solution when it reaches the flight computer.
    public var latencyS: Double
    public var horizontalSigmaM: Double
    public var verticalSigmaM: Double
    public var positionCorrelationTimeS: Double
    public var velocitySigmaMps: Double
    public var satellites: Int

    enum CodingKeys: String, CodingKey {
        case rateHz = "rate_hz", latencyS = "latency_s", horizontalSigmaM = "horizontal_sigma_m"
        case verticalSigmaM = "vertical_sigma_m", positionCorrelationTimeS = "position_correlation_time_s"
        case velocitySigmaMps = "velocity_sigma_mps", satellites
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(rateHz, in: 1...20, "rate_hz", unit: "Hz")
        // The pending-solution queue holds GPSSensorModel.maxPendingFixes solutions.
        try Self.require(latencyS, in: 0...(Double(GPSSensorModel.maxPendingFixes - 1) / rateHz), "latency_s", unit: "s")
        try Self.require(horizontalSigmaM, in: 0...100, "horizontal_sigma_m", unit: "m")
        try Self.require(verticalSigmaM, in: 0...100, "vertical_sigma_m", unit: "m")
        try Self.require(positionCorrelationTimeS, in: 1...10_000, "position_correlation_time_s", unit: "s")
        try Self.require(velocitySigmaMps, in: 0...10, "velocity_sigma_mps", unit: "m/s")
        guard (4...64).contains(satellites) else {
            throw ConfigValueError(keyPath: "satellites", reason: "\(satellites) is outside the accepted range 4…64")
        }
    }
}
