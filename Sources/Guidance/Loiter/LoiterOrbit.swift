import FlightMath

/// When an orbit is finished.
public enum LoiterExit: Sendable, Equatable {
    case unlimited
    /// After this many full turns once the orbit is captured.
    case turns(Double)
    /// After this many seconds once the orbit is captured.
    case time(seconds: Double)
}

/// An orbit: centre (its down component sets the height), radius, direction and exit condition.
public struct LoiterOrbit: Sendable, Equatable {
    public var centerNEDM: Vector3
    public var radiusM: Double
    public var direction: OrbitDirection
    public var exit: LoiterExit
    /// nil takes `GuidanceConfig.cruiseAirspeedMps`.
    public var airspeedMps: Double?

    public init(centerNEDM: Vector3, radiusM: Double, direction: OrbitDirection = .clockwise,
                exit: LoiterExit = .unlimited, airspeedMps: Double? = nil) {
        self.centerNEDM = centerNEDM; self.radiusM = radiusM; self.direction = direction; self.exit = exit
        self.airspeedMps = airspeedMps
    }
}

/// Progress on an orbit, reported every tick.
public struct LoiterStatus: Sendable, Equatable {
    /// The vehicle has come within the capture distance of the circle; turns and time count from then.
    public var captured = false
    /// Turns flown in the commanded direction since capture.
    public var turnsCompleted = 0.0
    public var secondsOnOrbit = 0.0
    /// Distance from the centre minus the radius (positive outside).
    public var radiusErrorM = 0.0
    /// The exit condition is met (never for an unlimited orbit).
    public var exitReached = false

    public init() {}
}
