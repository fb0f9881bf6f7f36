import FlightMath

/// What the attitude stack needs from the estimator each tick.
public struct AttitudeControlState: Sendable, Equatable {
    public var rollRad: Double
    public var pitchRad: Double
    public var bodyRatesFRDRadps: Vector3
    public var airspeedMps: Double
    /// Lateral (body y) specific force from the accelerometer, for turn coordination.
    public var lateralSpecificForceMps2: Double

    public init(rollRad: Double, pitchRad: Double, bodyRatesFRDRadps: Vector3, airspeedMps: Double,
                lateralSpecificForceMps2: Double = 0) {
        self.rollRad = rollRad; self.pitchRad = pitchRad; self.bodyRatesFRDRadps = bodyRatesFRDRadps
        self.airspeedMps = airspeedMps; self.lateralSpecificForceMps2 = lateralSpecificForceMps2
    }
}

/// What the attitude stack did this tick, for logging.
public struct AttitudeControlStatus: Sendable, Equatable {
    public var rateSetpoint: BodyRateSetpoint
    public var gainScale: Double
    public var rollIntegrator: Double
    public var pitchIntegrator: Double
    public var yawIntegrator: Double
    public var integratorsFrozen: Bool
}

/// Roll/pitch angle loops → rate loops, and the yaw axis, producing normalised actuator commands. Throttle passes
/// through from TECS (limited to 0...1).
public struct FixedWingAttitudeControl: Sendable {
    public var attitude: AttitudeController
    public var roll: RateController
    public var pitch: RateController
    public var yaw: YawController
    public private(set) var status: AttitudeControlStatus

    public init(attitude: AttitudeConfig, rates: RateConfig, airspeed: AirspeedConfig) {
        self.attitude = AttitudeController(config: attitude, airspeed: airspeed)
        roll = RateController(gains: rates.roll)
        pitch = RateController(gains: rates.pitch)
        yaw = YawController(config: rates)
        status = AttitudeControlStatus(
            rateSetpoint: BodyRateSetpoint(rollRadps: 0, pitchRadps: 0, yawRadps: 0, turnRateRadps: 0),
            gainScale: 1, rollIntegrator: 0, pitchIntegrator: 0, yawIntegrator: 0, integratorsFrozen: true)
    }

    public mutating func reset() {
        roll.reset(); pitch.reset(); yaw.reset()
    }

    /// `inFlight: false` (before launch) freezes every integrator at its current value.
    public mutating func update(rollSetpointRad: Double, pitchSetpointRad: Double, throttle: Double,
                                state: AttitudeControlState, dtS: Double, inFlight: Bool) -> ActuatorCommands {
        let rates = attitude.rateSetpoint(rollSetpointRad: rollSetpointRad, pitchSetpointRad: pitchSetpointRad,
                                          rollRad: state.rollRad, pitchRad: state.pitchRad,
                                          airspeedMps: state.airspeedMps)
        let scale = attitude.airspeed.gainScale(airspeedMps: state.airspeedMps)
        let body = state.bodyRatesFRDRadps
        let rollCommand = roll.update(rateSetpointRadps: rates.rollRadps, rateRadps: body.x, gainScale: scale,
                                      dtS: dtS, integrate: inFlight)
        let pitchCommand = pitch.update(rateSetpointRadps: rates.pitchRadps, rateRadps: body.y, gainScale: scale,
                                        dtS: dtS, integrate: inFlight)
        let yawCommand = yaw.update(turnYawRateRadps: rates.yawRadps, yawRateRadps: body.z,
                                    lateralSpecificForceMps2: state.lateralSpecificForceMps2, gainScale: scale,
                                    dtS: dtS, integrate: inFlight)
        status = AttitudeControlStatus(rateSetpoint: rates, gainScale: scale, rollIntegrator: roll.integrator,
                                       pitchIntegrator: pitch.integrator, yawIntegrator: yaw.coordinationIntegrator,
                                       integratorsFrozen: !inFlight)
        return ActuatorCommands(roll: rollCommand, pitch: pitchCommand, yaw: yawCommand, throttle: throttle).limited
    }
}
