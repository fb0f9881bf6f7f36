import FlightMath

/// Rudder for a fixed wing: feed-forward of the coordinated-turn yaw rate, a yaw damper on the washed-out yaw rate
/// (a high-pass, so a steady turn rate is not opposed but Dutch roll is), and turn coordination driving the
/// lateral specific force (a sideslip indicator) to zero with a PI loop.
///
/// Signs: positive rudder yaws nose right. A sideslip with the nose left of the airflow (wind from the right,
/// β > 0) gives a negative lateral specific force, which needs positive rudder.
public struct YawController: Sendable {
    public var config: RateConfig {
        didSet { coordination.gains = Self.coordinationGains(config) }
    }
    private var coordination: PID
    private var washedOutRateRadps = 0.0
    private var lastRateRadps = 0.0
    private var primed = false

    public init(config: RateConfig) {
        self.config = config
        coordination = PID(gains: Self.coordinationGains(config))
    }

    private static func coordinationGains(_ c: RateConfig) -> PID.Gains {
        PID.Gains(kp: c.turnCoordinationKp, ki: c.turnCoordinationKi,
                  integratorLimit: c.turnCoordinationIntegratorLimit, outputLimit: 1)
    }

    public var coordinationIntegrator: Double { coordination.integrator }

    public mutating func reset() {
        coordination.reset()
        washedOutRateRadps = 0
        primed = false
    }

    public mutating func update(turnYawRateRadps: Double, yawRateRadps: Double, lateralSpecificForceMps2: Double,
                                gainScale: Double, dtS: Double, integrate: Bool) -> Double {
        guard dtS > 0, yawRateRadps.isFinite, turnYawRateRadps.isFinite else { return 0 }
        // First-order high-pass (washout) of the body yaw rate.
        if primed {
            let a = config.yawDamperWashoutS / (config.yawDamperWashoutS + dtS)
            washedOutRateRadps = a * (washedOutRateRadps + yawRateRadps - lastRateRadps)
        }
        lastRateRadps = yawRateRadps
        primed = true

        let lateral = lateralSpecificForceMps2.isFinite ? lateralSpecificForceMps2 : 0
        let coordinationCommand = coordination.update(setpoint: 0, measurement: lateral, dtS: dtS, scale: gainScale,
                                                      measurementRate: 0, integrate: integrate)
        let rudder = gainScale * (config.yawRateFF * turnYawRateRadps - config.yawDamperGain * washedOutRateRadps)
            + coordinationCommand
        return rudder.clamped(to: -1...1)
    }
}
