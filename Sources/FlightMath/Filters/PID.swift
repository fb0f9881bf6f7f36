/// PID controller with feed-forward, output limits, an integrator limit and anti-windup by conditional
/// integration: the integrator stops growing in the direction that would push a saturated output further.
/// The derivative acts on the measurement (or on a rate the caller supplies) so setpoint steps do not kick.
public struct PID: Sendable {
    public struct Gains: Sendable, Hashable, Decodable {
        public var kp: Double
        public var ki: Double
        public var kd: Double
        public var kff: Double
        public var integratorLimit: Double
        public var outputLimit: Double

        public init(kp: Double, ki: Double = 0, kd: Double = 0, kff: Double = 0, integratorLimit: Double = 0,
                    outputLimit: Double = .infinity) {
            self.kp = kp; self.ki = ki; self.kd = kd; self.kff = kff
            self.integratorLimit = integratorLimit; self.outputLimit = outputLimit
        }
    }

    public var gains: Gains
    public private(set) var integrator = 0.0
    public private(set) var lastOutput = 0.0
    private var lastMeasurement = 0.0
    private var hasLast = false

    public init(gains: Gains) { self.gains = gains }

    public mutating func reset() {
        integrator = 0
        lastOutput = 0
        hasLast = false
    }

    /// One step. `scale` multiplies the P, I, D and FF contributions (airspeed scaling of surface gains).
    /// `measurementRate`, when given, is used for the D term instead of differencing the measurement.
    /// `integrate: false` freezes the integrator (on the ground, before launch).
    public mutating func update(setpoint: Double, measurement: Double, dtS: Double, scale: Double = 1,
                                measurementRate: Double? = nil, integrate: Bool = true) -> Double {
        guard dtS > 0, setpoint.isFinite, measurement.isFinite, scale.isFinite else { return lastOutput }
        let error = setpoint - measurement
        let rate: Double
        if let r = measurementRate, r.isFinite {
            rate = r
        } else {
            rate = hasLast ? (measurement - lastMeasurement) / dtS : 0
        }
        lastMeasurement = measurement
        hasLast = true

        let unsaturated = scale * (gains.kp * error + gains.kff * setpoint - gains.kd * rate) + integrator
        let limit = gains.outputLimit
        if integrate, gains.ki > 0 {
            let delta = gains.ki * error * dtS * scale
            let pushingHigh = unsaturated >= limit && delta > 0
            let pushingLow = unsaturated <= -limit && delta < 0
            if !pushingHigh && !pushingLow {
                integrator = (integrator + delta).clamped(to: -gains.integratorLimit...gains.integratorLimit)
            }
        }
        let output = (scale * (gains.kp * error + gains.kff * setpoint - gains.kd * rate) + integrator)
            .clamped(to: -limit...limit)
        lastOutput = output
        return output
    }
}
