import FlightMath

/// What the mission layer needs to know about one aiding sensor.
public enum SensorCondition: Sendable, Hashable, CustomStringConvertible {
    /// Measurements arrive on time and pass their innovation gate.
    case healthy
    /// Measurements arrive but some were rejected recently (or the receiver reports a poor solution).
    case degraded
    /// No usable measurement within the timeout, or every measurement rejected for longer than the failure time.
    case failed

    public var description: String {
        switch self {
        case .healthy: "healthy"
        case .degraded: "degraded"
        case .failed: "failed"
        }
    }
}

/// The last innovation check of one measurement (for logging and tuning). Scalar measurements use `x` only.
public struct InnovationRecord: Sendable, Hashable {
    /// Measurement time (µs, vehicle clock) of the measurement checked.
    public var timestampUs: UInt64 = 0
    /// Measured minus predicted.
    public var innovation = Vector3.zero
    public var innovationVariance = Vector3.zero
    /// The largest innovation² / (gate² · innovation variance) over the components; above 1 means rejected.
    public var testRatio = 0.0
    public var accepted = false

    public init() {}
}

/// Health and last innovations of one sensor, as reported by `NavigationFilter.health`.
public struct SensorStatus: Sendable, Hashable {
    public var condition: SensorCondition = .failed
    /// GPS: position; others: their one measurement.
    public var innovation = InnovationRecord()
    /// GPS only: velocity.
    public var secondaryInnovation = InnovationRecord()
    /// Test ratio smoothed over about a second, a steadier picture than the last one.
    public var filteredTestRatio = 0.0
    public var fusedCount = 0
    public var rejectedCount = 0
    /// Samples refused before fusion (non-finite, implausible, poor GPS solution, too old).
    public var invalidCount = 0
    /// Vehicle time (µs) of the last sample that arrived, nil if none ever did.
    public var lastSampleUs: UInt64?

    public init() {}
}
