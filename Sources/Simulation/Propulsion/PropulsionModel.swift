import FlightMath
import RealModule

/// Output of the motor and propeller at one instant.
public struct PropulsionOutput: Hashable, Sendable {
    public var thrustN: Double
    public var electricalPowerW: Double
    public var rollTorqueNm: Double
}

/// Electric motor with a fixed-pitch propeller. Propeller speed is taken proportional to throttle and battery
/// voltage (n = throttle·V/V_full); thrust T = T_static·n·(n − V_axial/V_pitch), which falls linearly with airspeed
/// and vanishes at the pitch speed, as a fixed-pitch propeller's thrust does to first order. Power follows momentum
/// theory: shaft power = T·(V + v_induced)/FM, electrical = shaft/η_motor.
public struct PropulsionModel: Hashable, Sendable {
    public let parameters: PropulsionSection
    let diskAreaM2: Double
    /// Spooled throttle (after the motor lag).
    public private(set) var spooledThrottle = 0.0

    public init(parameters: PropulsionSection) {
        self.parameters = parameters
        diskAreaM2 = Double.pi * parameters.propDiameterM * parameters.propDiameterM / 4
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

    /// Thrust and power at axial airspeed `axialAirspeedMps` (along body x), air density and the relative battery
    /// voltage `voltageRatio` = V_battery / V_full.
    public func output(axialAirspeedMps: Double, densityKgpm3: Double,
                                  voltageRatio: Double) -> PropulsionOutput {
        let n = rotorSpeedFraction(voltageRatio: voltageRatio)
        guard n > 0 else { return PropulsionOutput(thrustN: 0, electricalPowerW: 0, rollTorqueNm: 0) }
        let densityRatio = densityKgpm3 / 1.225
        let va = max(0, axialAirspeedMps)
        let thrust = max(0, parameters.staticThrustN * densityRatio * n * (n - va / parameters.pitchSpeedMps))
        // Induced velocity from momentum theory for a propeller in axial flight.
        let halfV = va / 2
        let induced = -halfV + (halfV * halfV + thrust / (2 * densityKgpm3 * diskAreaM2)).squareRoot()
        let shaftPower = thrust * (va + induced) / parameters.propFigureOfMerit
        return PropulsionOutput(
            thrustN: thrust,
            electricalPowerW: shaftPower / parameters.motorEfficiency,
            rollTorqueNm: parameters.torquePerThrustM * thrust)
    }
}
