import FlightMath

/// Estimated vertical and speed state and the setpoints for one TECS tick. Height is up-positive.
public struct TECSInput: Sendable, Equatable {
    public var heightSetpointM: Double
    public var airspeedSetpointMps: Double
    public var heightM: Double
    public var heightRateMps: Double
    public var airspeedMps: Double
    /// Rate of change of airspeed; nil makes TECS estimate it (see `forwardAccelerationMps2`).
    public var airspeedRateMps2: Double?
    /// The vehicle's inertial acceleration along its body x axis since the last update (the accelerometer's
    /// specific force plus gravity's component, averaged), m/s². With it TECS blends the airspeed with this
    /// acceleration (`AirspeedRateFilter`); without it, it differentiates the airspeed through a low-pass filter.
    public var forwardAccelerationMps2: Double?

    public init(heightSetpointM: Double, airspeedSetpointMps: Double, heightM: Double, heightRateMps: Double,
                airspeedMps: Double, airspeedRateMps2: Double? = nil, forwardAccelerationMps2: Double? = nil) {
        self.heightSetpointM = heightSetpointM; self.airspeedSetpointMps = airspeedSetpointMps
        self.heightM = heightM; self.heightRateMps = heightRateMps
        self.airspeedMps = airspeedMps; self.airspeedRateMps2 = airspeedRateMps2
        self.forwardAccelerationMps2 = forwardAccelerationMps2
    }
}

public struct TECSOutput: Sendable, Equatable {
    public var pitchSetpointRad: Double
    public var throttle: Double
}

/// Total energy control. Throttle controls the specific total energy rate (climb rate plus V·V̇/g): feed-forward
/// from the trim throttle scaled by the demanded rate against the climb rate at full throttle (or the sink rate at
/// minimum throttle), plus PI on the rate error. Pitch controls the energy balance rate — weighted climb rate minus
/// weighted V·V̇/g — divided by airspeed to give a flight-path angle, plus damping and an integrator. Underspeed
/// protection ramps the speed weight to 2 (pitch flies speed only), withdraws climb demands and ramps throttle to
/// maximum as the airspeed falls below the minimum.
public struct TECS: Sendable {
    public var config: TECSConfig
    public var airspeed: AirspeedConfig
    public private(set) var status = TECSStatus()

    private var throttleIntegrator = 0.0
    private var pitchIntegratorRad = 0.0
    private var filteredAirspeedRateMps2 = 0.0
    private var airspeedRateFilter = AirspeedRateFilter()
    private var lastAirspeedMps = 0.0
    private var hasLastAirspeed = false
    private var lastOutput: TECSOutput

    /// Floor on the airspeed used as a divisor, so a failed or zero airspeed cannot produce infinite pitch.
    static let minimumDivisorAirspeedMps = 3.0

    public init(config: TECSConfig, airspeed: AirspeedConfig) {
        self.config = config
        self.airspeed = airspeed
        lastOutput = TECSOutput(pitchSetpointRad: 0, throttle: config.throttleTrim)
    }

    public mutating func reset() {
        throttleIntegrator = 0
        pitchIntegratorRad = 0
        filteredAirspeedRateMps2 = 0
        airspeedRateFilter.reset()
        hasLastAirspeed = false
        status = TECSStatus()
    }

    /// `inFlight: false` freezes both integrators (before launch).
    public mutating func update(_ input: TECSInput, dtS: Double, inFlight: Bool) -> TECSOutput {
        guard dtS > 0, dtS.isFinite, input.heightSetpointM.isFinite, input.airspeedSetpointMps.isFinite,
              input.heightM.isFinite, input.heightRateMps.isFinite, input.airspeedMps.isFinite else {
            status.mode = .badInput
            return lastOutput
        }
        let g = WGS84.standardGravityMps2
        let speed = input.airspeedMps
        let speedDivisor = max(speed, Self.minimumDivisorAirspeedMps)
        let speedRate = measuredAirspeedRate(input, dtS: dtS)

        // Demands, limited to what the airframe can do.
        let speedSetpoint = input.airspeedSetpointMps.clamped(to: airspeed.minMps...airspeed.maxMps)
        let speedRateSetpoint = ((speedSetpoint - speed) / config.speedTimeConstantS)
            .clamped(to: -config.maxAccelerationMps2...config.maxAccelerationMps2)
        let heightError = input.heightSetpointM - input.heightM
        var heightRateSetpoint = (heightError / config.heightTimeConstantS)
            .clamped(to: -config.maxSinkRateMps...config.maxClimbRateMps)

        let underspeed = ((airspeed.minMps - speed) / config.underspeedMarginMps).clamped(to: 0...1)
        if heightRateSetpoint > 0 { heightRateSetpoint *= 1 - underspeed }
        let speedWeight = config.speedWeight + underspeed * (2 - config.speedWeight)

        // Throttle: total energy rate.
        let kineticRateSetpoint = speed * speedRateSetpoint / g
        let kineticRate = speed * speedRate / g
        let totalRateSetpoint = heightRateSetpoint + kineticRateSetpoint
        let totalRate = input.heightRateMps + kineticRate
        let totalRateError = totalRateSetpoint - totalRate
        let feedForward: Double
        if totalRateSetpoint >= 0 {
            feedForward = config.throttleTrim
                + (config.throttleMax - config.throttleTrim) * totalRateSetpoint / config.maxClimbRateMps
        } else {
            feedForward = config.throttleTrim
                + (config.throttleTrim - config.throttleMin) * totalRateSetpoint / config.minSinkRateMps
        }
        let throttleLimits = config.throttleMin...config.throttleMax
        let throttleUnlimited = feedForward + config.throttleKp * totalRateError + throttleIntegrator
        if inFlight {
            throttleIntegrator = Self.integrate(throttleIntegrator, delta: config.throttleKi * totalRateError * dtS,
                                                output: throttleUnlimited, limits: throttleLimits,
                                                bound: config.throttleIntegratorLimit)
        }
        let throttleDemand = feedForward + config.throttleKp * totalRateError + throttleIntegrator
        var throttle = throttleDemand.clamped(to: throttleLimits)
        throttle += underspeed * (config.throttleMax - throttle)

        // Pitch: energy balance rate.
        let kineticWeight = speedWeight.clamped(to: 0...1)
        let potentialWeight = (2 - speedWeight).clamped(to: 0...1)
        let balanceRateSetpoint = potentialWeight * heightRateSetpoint - kineticWeight * kineticRateSetpoint
        let balanceRate = potentialWeight * input.heightRateMps - kineticWeight * kineticRate
        let balanceRateError = balanceRateSetpoint - balanceRate
        let pitchLimits = config.pitchMinRad...config.pitchMaxRad
        let pitchProportional = (balanceRateSetpoint + config.pitchKp * balanceRateError) / speedDivisor
        if inFlight {
            pitchIntegratorRad = Self.integrate(pitchIntegratorRad,
                                                delta: config.pitchKi * balanceRateError / speedDivisor * dtS,
                                                output: pitchProportional + pitchIntegratorRad, limits: pitchLimits,
                                                bound: config.pitchIntegratorLimitRad)
        }
        let pitchDemand = pitchProportional + pitchIntegratorRad
        var pitch = pitchDemand.clamped(to: pitchLimits)

        // Slew limits: the pitch demand may change no faster than a vertical acceleration the airframe can fly
        // (a_v / V rad/s), the throttle no faster than `throttleSlewPerS`; noise in the measured rates above the
        // energy loops' bandwidth otherwise goes straight to the elevator and the motor. Underspeed protection and
        // the ground are exempt: the one must act at once, on the other nothing flies yet.
        if inFlight, underspeed == 0 {
            if config.maxVerticalAccelerationMps2 > 0 {
                let pitchStep = config.maxVerticalAccelerationMps2 / speedDivisor * dtS
                pitch = pitch.clamped(to: (lastOutput.pitchSetpointRad - pitchStep)...(lastOutput.pitchSetpointRad + pitchStep))
            }
            if config.throttleSlewPerS > 0 {
                let throttleStep = config.throttleSlewPerS * dtS
                throttle = throttle.clamped(to: (lastOutput.throttle - throttleStep)...(lastOutput.throttle + throttleStep))
            }
        }

        let output = TECSOutput(pitchSetpointRad: pitch, throttle: throttle)
        lastOutput = output
        var s = TECSStatus()
        s.mode = !inFlight ? .onGround : (underspeed > 0 ? .underspeed : .normal)
        s.heightErrorM = heightError
        s.airspeedErrorMps = speedSetpoint - speed
        s.heightRateSetpointMps = heightRateSetpoint
        s.heightRateMps = input.heightRateMps
        s.airspeedRateSetpointMps2 = speedRateSetpoint
        s.airspeedRateMps2 = speedRate
        s.totalEnergyRateSetpointMps = totalRateSetpoint
        s.totalEnergyRateMps = totalRate
        s.balanceRateSetpointMps = balanceRateSetpoint
        s.balanceRateMps = balanceRate
        s.throttleIntegrator = throttleIntegrator
        s.pitchIntegratorRad = pitchIntegratorRad
        s.underspeedRatio = underspeed
        s.speedWeight = speedWeight
        s.pitchSetpointRad = pitch
        s.throttle = throttle
        s.pitchLimited = !pitchLimits.contains(pitchDemand)
        s.throttleLimited = !throttleLimits.contains(throttleDemand)
        status = s
        return output
    }

    /// Conditional integration: no growth in the direction that pushes an already saturated output further.
    static func integrate(_ value: Double, delta: Double, output: Double, limits: ClosedRange<Double>,
                          bound: Double) -> Double {
        if output >= limits.upperBound && delta > 0 { return value }
        if output <= limits.lowerBound && delta < 0 { return value }
        return (value + delta).clamped(to: -bound...bound)
    }

    private mutating func measuredAirspeedRate(_ input: TECSInput, dtS: Double) -> Double {
        defer {
            lastAirspeedMps = input.airspeedMps
            hasLastAirspeed = true
        }
        if let supplied = input.airspeedRateMps2, supplied.isFinite {
            filteredAirspeedRateMps2 = supplied
            return supplied
        }
        if let forward = input.forwardAccelerationMps2, forward.isFinite {
            filteredAirspeedRateMps2 = airspeedRateFilter.update(airspeedMps: input.airspeedMps,
                                                                 forwardAccelerationMps2: forward, dtS: dtS,
                                                                 omegaRadps: config.airspeedFilterOmegaRadps)
            return filteredAirspeedRateMps2
        }
        airspeedRateFilter.reset()
        guard hasLastAirspeed else { return 0 }
        let raw = (input.airspeedMps - lastAirspeedMps) / dtS
        let rc = 1 / (2 * Double.pi * config.airspeedRateCutoffHz)
        filteredAirspeedRateMps2 += dtS / (rc + dtS) * (raw - filteredAirspeedRateMps2)
        return filteredAirspeedRateMps2
    }
}
