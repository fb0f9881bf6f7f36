import FlightMath

/// The air's motion at the airframe: steady wind + Dryden turbulence + scheduled discrete gusts, NED (m/s,
/// the velocity of the air, i.e. a north wind blowing *from* the north is negative north).
public struct WindModel: Sendable {
    public var steadyNEDMps: Vector3
    public private(set) var turbulence: DrydenTurbulence
    /// Read-only on the step path; allocated once when the scenario is loaded.
    public let gusts: [DiscreteGust]
    public private(set) var currentNEDMps = Vector3.zero

    public init(steadyNEDMps: Vector3, turbulence: DrydenTurbulence, gusts: [DiscreteGust]) {
        self.steadyNEDMps = steadyNEDMps
        self.turbulence = turbulence
        self.gusts = gusts
        currentNEDMps = steadyNEDMps
    }

    /// Advances the turbulence by `dtS` and returns the wind for the coming step.
    public mutating func update(timeS: Double, dtS: Double, airspeedMps: Double, altitudeAboveGroundM: Double,
                                attitude: Quaternion) -> Vector3 {
        var wind = steadyNEDMps
        let uvw = turbulence.step(dtS: dtS, airspeedMps: airspeedMps, altitudeAboveGroundM: altitudeAboveGroundM)
        wind += attitude.rotate(uvw)
        for gust in gusts { wind += gust.velocityNEDMps(atS: timeS) }
        currentNEDMps = wind
        return wind
    }
}
