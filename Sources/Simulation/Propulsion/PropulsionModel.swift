import FlightMath
import RealModule

/// Output of the motor and propeller at one instant, as a force along body x and the moments it makes.
public struct PropulsionOutput: Hashable, Sendable {
    /// Axial force along body x: thrust when positive, the windmilling propeller's drag when negative.
    public var thrustN: Double
    public var electricalPowerW: Double
    /// Roll moment about body x: the motor's reaction torque plus `torque_per_thrust_m` × thrust.
    public var rollTorqueNm: Double
    /// Pitch moment of the thrust acting along a line offset from the CG.
    public var pitchMomentNm: Double
}

/// Electric motor with a fixed-pitch propeller. Propeller speed is taken proportional to throttle and battery
/// voltage (n = throttle·V/V_full); thrust T = T_static·n·(n − V_axial/V_pitch), which falls linearly with airspeed
/// and vanishes at the pitch speed, as a fixed-pitch propeller's thrust does to first order. Power follows momentum
/// theory: shaft power = T·(V + v_induced)/FM, electrical = shaft/η_motor.
///
/// Below the zero-thrust speed (motor off, or throttled back at speed) the propeller is not neutral: the airflow
/// drives it and it is drag, up to the windmilling drag ½ρV²·A_disk·C_D,wm with the motor off. Between the two the
/// drag fades linearly with n, so the axial force is continuous through zero thrust.
///
/// The shaft torque Q = P_shaft/ω (ω from n, the pitch speed and the geometric pitch) reacts on the airframe as a
/// roll moment against the propeller's rotation; the thrust on a line `thrust_line_offset_m` below the CG pitches the
/// nose up by T·offset.
public struct PropulsionModel: Hashable, Sendable {
    public let parameters: PropulsionSection
    let diskAreaM2: Double
    /// Shaft speed at n = 1, rad/s: the pitch speed is one pitch of advance per revolution.
    let fullShaftSpeedRadps: Double
    /// Spooled throttle (after the motor lag).
    public private(set) var spooledThrottle = 0.0

    public init(parameters: PropulsionSection) {
        self.parameters = parameters
        diskAreaM2 = Double.pi * parameters.propDiameterM * parameters.propDiameterM / 4
        fullShaftSpeedRadps = 2 * Double.pi * parameters.pitchSpeedMps / parameters.propPitchM
    }

    public mutating func reset(throttle: Double) {
        spooledThrottle = throttle.isFinite ? throttle.clamped(to: 0...1) : 0
    }

    /// Advances the motor lag by `dtS` towards `throttle` (0…1).
    public mutating func update(throttle: Double, dtS: Double) {
        let target = throttle.isFinite ? throttle.clamped(to: 0...1) : 0
        let tau = parameters.spoolTimeConstantS
        let blend = tau > 0 ? 1 - Double.exp(-dtS / tau) : 1
        spooledThrottle += (target - spooledThrottle) * blend
    }

    /// Propeller speed relative to full throttle on a full battery (the n of the thrust law).
    public func rotorSpeedFraction(voltageRatio: Double) -> Double {
        spooledThrottle * voltageRatio.clamped(to: 0...1.2)
    }

    /// Thrust, power and moments at axial airspeed `axialAirspeedMps` (along body x), air density and the relative
    /// battery voltage `voltageRatio` = V_battery / V_full.
    public func output(axialAirspeedMps: Double, densityKgpm3: Double,
                       voltageRatio: Double) -> PropulsionOutput {
        let p = parameters
        let n = rotorSpeedFraction(voltageRatio: voltageRatio)
        let va = max(0, axialAirspeedMps)
        // Propeller speed, as a fraction of full, at which it gives no thrust at this airspeed.
        let zeroThrustN = va / p.pitchSpeedMps
        let thrust: Double
        if n > zeroThrustN {
            thrust = p.staticThrustN * (densityKgpm3 / 1.225) * n * (n - zeroThrustN)
        } else {
            let windmillDragN = 0.5 * densityKgpm3 * va * va * diskAreaM2 * p.windmillDragCoefficient
            // n ≤ zeroThrustN: at zero airspeed (both 0) there is neither thrust nor drag.
            thrust = zeroThrustN > 0 ? -windmillDragN * (1 - n / zeroThrustN) : 0
        }
        var shaftPower = 0.0, reactionTorque = 0.0
        if thrust > 0 {
            // Induced velocity from momentum theory for a propeller in axial flight.
            let halfV = va / 2
            let induced = -halfV + (halfV * halfV + thrust / (2 * densityKgpm3 * diskAreaM2)).squareRoot()
            shaftPower = thrust * (va + induced) / p.propFigureOfMerit
            reactionTorque = shaftPower / (n * fullShaftSpeedRadps)  // n > 0 whenever there is thrust
        }
        // The motor turns the propeller one way; the airframe is turned the other way by the same torque.
        let roll = -p.propRotation.signAboutBodyX * reactionTorque + p.torquePerThrustM * thrust
        return PropulsionOutput(
            thrustN: thrust,
            electricalPowerW: shaftPower / p.motorEfficiency,
            rollTorqueNm: roll,
            // r × F with r = (0, 0, offset) below the CG and F = (T, 0, 0): M_y = offset·T.
            pitchMomentNm: p.thrustLineOffsetM * thrust)
    }
}
