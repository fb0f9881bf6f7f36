/// TECS mode of one tick.
public enum TECSMode: UInt8, Sendable {
    /// Before launch: outputs computed, integrators frozen.
    case onGround = 0
    case normal = 1
    /// Below the minimum airspeed: pitch trades height for speed and throttle goes to maximum.
    case underspeed = 2
    /// Bad input (non-finite state or time step): the previous outputs were held.
    case badInput = 3
}

/// Everything TECS computed in one tick, for the log. Energy rates are specific and divided by g (m/s).
public struct TECSStatus: Sendable, Equatable {
    public var mode: TECSMode = .onGround
    public var heightErrorM = 0.0
    public var airspeedErrorMps = 0.0
    public var heightRateSetpointMps = 0.0
    public var heightRateMps = 0.0
    public var airspeedRateSetpointMps2 = 0.0
    public var airspeedRateMps2 = 0.0
    public var totalEnergyRateSetpointMps = 0.0
    public var totalEnergyRateMps = 0.0
    public var balanceRateSetpointMps = 0.0
    public var balanceRateMps = 0.0
    public var throttleIntegrator = 0.0
    public var pitchIntegratorRad = 0.0
    /// 0 = normal, 1 = full underspeed protection.
    public var underspeedRatio = 0.0
    /// Speed weight in use (raised toward 2 by underspeed protection).
    public var speedWeight = 1.0
    public var pitchSetpointRad = 0.0
    public var throttle = 0.0
    /// The pitch demand lay beyond the pitch limits and was clamped to them.
    public var pitchLimited = false
    /// The throttle demand lay beyond the throttle limits (before underspeed protection).
    public var throttleLimited = false

    public init() {}
}
