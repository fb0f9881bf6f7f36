/// Switches for physics tests and special runs; a normal flight uses the defaults.
public struct PlantOptions: Hashable, Sendable {
    /// Integration rate; ≥ 400 Hz and a divisor of 1 000 000 so that steps are whole microseconds.
    public var stepRateHz: Int
    public var aerodynamicsEnabled: Bool
    public var propulsionEnabled: Bool
    public var groundContactEnabled: Bool

    public init(stepRateHz: Int = 400, aerodynamicsEnabled: Bool = true, propulsionEnabled: Bool = true,
                groundContactEnabled: Bool = true) {
        self.stepRateHz = stepRateHz; self.aerodynamicsEnabled = aerodynamicsEnabled
        self.propulsionEnabled = propulsionEnabled; self.groundContactEnabled = groundContactEnabled
    }
}

/// Why a plant could not be built.
public struct PlantSetupError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "simulation setup: \(reason)" }
}
