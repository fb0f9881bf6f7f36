import ConfigFiles

/// What a control-surface channel moves. Elevons act as half elevator, half aileron each.
public enum SurfaceFunction: String, Codable, Hashable, Sendable, CaseIterable {
    case aileron, elevator, rudder
    case elevonLeft = "elevon_left", elevonRight = "elevon_right"
}

/// One servo-driven surface. Channel numbers are the order of `[[actuators.surfaces]]` in the file.
public struct SurfaceActuatorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var function: SurfaceFunction
    /// Deflection at a normalised command of ±1.
    public var maxDeflectionDeg: Double
    public var rateLimitDps: Double
    /// First-order servo lag.
    public var timeConstantS: Double

    enum CodingKeys: String, CodingKey {
        case function, maxDeflectionDeg = "max_deflection_deg", rateLimitDps = "rate_limit_dps"
        case timeConstantS = "time_constant_s"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(maxDeflectionDeg, in: 1...60, "max_deflection_deg", unit: "deg")
        try Self.require(rateLimitDps, in: 10...5000, "rate_limit_dps", unit: "deg/s")
        try Self.require(timeConstantS, in: 0...1, "time_constant_s", unit: "s")
    }
}

/// `[actuators]`: the control surfaces, one channel each, at most `SurfaceChannels.capacity`.
public struct ActuatorsSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var surfaces: [SurfaceActuatorSection]

    public func validate() throws(ConfigValueError) {
        guard (1...SurfaceChannels.capacity).contains(surfaces.count) else {
            throw ConfigValueError(keyPath: "surfaces",
                                   reason: "\(surfaces.count) surfaces; 1…\(SurfaceChannels.capacity) are supported")
        }
        for (i, s) in surfaces.enumerated() where surfaces[..<i].contains(where: { $0.function == s.function }) {
            throw ConfigValueError(keyPath: "surfaces[\(i)].function", reason: "'\(s.function.rawValue)' appears twice")
        }
        let functions = Set(surfaces.map(\.function))
        guard functions.contains(.elevator) || functions.isSuperset(of: [.elevonLeft, .elevonRight]) else {
            throw ConfigValueError(keyPath: "surfaces", reason: "no pitch control: need an elevator or both elevons")
        }
        guard functions.contains(.aileron) || functions.isSuperset(of: [.elevonLeft, .elevonRight]) else {
            throw ConfigValueError(keyPath: "surfaces", reason: "no roll control: need ailerons or both elevons")
        }
    }
}
