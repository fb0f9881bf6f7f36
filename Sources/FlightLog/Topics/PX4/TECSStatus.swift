/// `tecs_status`: the total-energy speed/height controller's references, states and outputs.
public struct TECSStatus: ULogTopic, Hashable {
    public static let topicName = "tecs_status"
    public var timestampUs: UInt64 = 0
    public var altitudeSetpointM: Float = 0
    /// Altitude after the reference model (rate-limited setpoint).
    public var altitudeReferenceM: Float = 0
    public var heightRateSetpointMps: Float = 0
    public var heightRateMps: Float = 0
    public var equivalentAirspeedSetpointMps: Float = 0
    public var trueAirspeedSetpointMps: Float = 0
    public var trueAirspeedFilteredMps: Float = 0
    public var trueAirspeedDerivativeSetpointMps2: Float = 0
    public var trueAirspeedDerivativeMps2: Float = 0
    /// Specific total energy rate (m²/s³ divided by g in PX4's normalisation) setpoint and estimate.
    public var totalEnergyRateSetpoint: Float = 0
    public var totalEnergyRate: Float = 0
    public var totalEnergyBalanceRateSetpoint: Float = 0
    public var totalEnergyBalanceRate: Float = 0
    public var throttleIntegrator: Float = 0
    public var pitchIntegrator: Float = 0
    public var throttleSetpoint: Float = 0
    public var pitchSetpointRad: Float = 0
    /// 0 normal … 1 fully in underspeed protection.
    public var underspeedRatio: Float = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("altitude_sp", altitudeSetpointM)
        v.scalar("altitude_reference", altitudeReferenceM)
        v.scalar("height_rate_setpoint", heightRateSetpointMps)
        v.scalar("height_rate", heightRateMps)
        v.scalar("equivalent_airspeed_sp", equivalentAirspeedSetpointMps)
        v.scalar("true_airspeed_sp", trueAirspeedSetpointMps)
        v.scalar("true_airspeed_filtered", trueAirspeedFilteredMps)
        v.scalar("true_airspeed_derivative_sp", trueAirspeedDerivativeSetpointMps2)
        v.scalar("true_airspeed_derivative", trueAirspeedDerivativeMps2)
        v.scalar("total_energy_rate_sp", totalEnergyRateSetpoint)
        v.scalar("total_energy_rate", totalEnergyRate)
        v.scalar("total_energy_balance_rate_sp", totalEnergyBalanceRateSetpoint)
        v.scalar("total_energy_balance_rate", totalEnergyBalanceRate)
        v.scalar("throttle_integ", throttleIntegrator)
        v.scalar("pitch_integ", pitchIntegrator)
        v.scalar("throttle_sp", throttleSetpoint)
        v.scalar("pitch_sp_rad", pitchSetpointRad)
        v.scalar("underspeed_ratio", underspeedRatio)
    }
}
