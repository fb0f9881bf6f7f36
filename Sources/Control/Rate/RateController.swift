import FlightMath

/// One body-rate axis (roll or pitch): PI on the rate error plus feed-forward of the setpoint, every term scaled
/// by the airspeed gain scale, output a normalised surface command in -1...1. The integrator is bounded and stops
/// growing while the output is saturated in the direction it would push (FlightMath `PID`).
public struct RateController: Sendable {
    private var pid: PID

    public init(gains: RateAxisGains) { pid = PID(gains: gains.pidGains) }

    public var gains: RateAxisGains {
        get { RateAxisGains(kp: pid.gains.kp, ki: pid.gains.ki, ff: pid.gains.kff,
                            integratorLimit: pid.gains.integratorLimit) }
        set { pid.gains = newValue.pidGains }
    }

    public var integrator: Double { pid.integrator }

    public mutating func reset() { pid.reset() }

    /// `integrate: false` freezes the integrator (on the ground before launch: the surfaces must not wind up
    /// against a wheel or a launcher).
    public mutating func update(rateSetpointRadps: Double, rateRadps: Double, gainScale: Double, dtS: Double,
                                integrate: Bool) -> Double {
        // The derivative gain is zero, so the measurement rate passed for it is only there to avoid differencing.
        pid.update(setpoint: rateSetpointRadps, measurement: rateRadps, dtS: dtS, scale: gainScale,
                   measurementRate: 0, integrate: integrate)
    }
}
