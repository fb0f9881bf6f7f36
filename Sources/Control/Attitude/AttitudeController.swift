import FlightMath
import RealModule

/// Body-rate setpoints (FRD) from the angle loops.
public struct BodyRateSetpoint: Sendable, Equatable {
    public var rollRadps: Double
    public var pitchRadps: Double
    public var yawRadps: Double
    /// Euler yaw rate of a coordinated turn at the current bank and airspeed (g·tanφ/V).
    public var turnRateRadps: Double
}

/// Roll and pitch angle loops: the angle error over a time constant gives an Euler-angle rate demand, limited to the
/// configured rates; the coordinated-turn yaw rate ψ̇ = g·tanφ/V is then added and the whole converted to body
/// rates, so a banked turn gets its pitch rate (ψ̇·sinφ·cosθ) and yaw rate (ψ̇·cosφ·cosθ) as feed-forward instead
/// of leaving them to the integrators.
public struct AttitudeController: Sendable {
    public var config: AttitudeConfig
    public var airspeed: AirspeedConfig

    public init(config: AttitudeConfig, airspeed: AirspeedConfig) {
        self.config = config
        self.airspeed = airspeed
    }

    /// Setpoints beyond the roll and pitch limits are clamped to them.
    public func rateSetpoint(rollSetpointRad: Double, pitchSetpointRad: Double, rollRad: Double, pitchRad: Double,
                             airspeedMps: Double) -> BodyRateSetpoint {
        let rollSp = rollSetpointRad.isFinite ? rollSetpointRad.clamped(to: -config.maxRollRad...config.maxRollRad) : 0
        let pitchSp = pitchSetpointRad.isFinite
            ? pitchSetpointRad.clamped(to: config.minPitchRad...config.maxPitchRad) : 0
        let rollDot = ((rollSp - rollRad) / config.rollTimeConstantS)
            .clamped(to: -config.maxRollRateRadps...config.maxRollRateRadps)
        let pitchDot = ((pitchSp - pitchRad) / config.pitchTimeConstantS)
            .clamped(to: -config.maxPitchRateDownRadps...config.maxPitchRateUpRadps)

        // Below the minimum airspeed (or with no valid airspeed) the turn rate is computed at the minimum, which
        // keeps it bounded; the bank used is the measured one, limited to the roll limit.
        let speed = airspeedMps.isFinite ? max(airspeedMps, airspeed.minMps) : airspeed.minMps
        let bank = rollRad.clamped(to: -config.maxRollRad...config.maxRollRad)
        let turnRate = WGS84.standardGravityMps2 * Double.tan(bank) / speed

        let sinRoll = Double.sin(rollRad), cosRoll = Double.cos(rollRad)
        let sinPitch = Double.sin(pitchRad), cosPitch = Double.cos(pitchRad)
        return BodyRateSetpoint(
            rollRadps: rollDot - turnRate * sinPitch,
            pitchRadps: pitchDot * cosRoll + turnRate * sinRoll * cosPitch,
            yawRadps: -pitchDot * sinRoll + turnRate * cosRoll * cosPitch,
            turnRateRadps: turnRate)
    }
}
