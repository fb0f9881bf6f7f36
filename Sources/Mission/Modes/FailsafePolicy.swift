/// How the vehicle reacts to lost link, lost navigation, low battery and fence breaches, and the terminal
/// approach geometry limits. Every value is also a MAVLink parameter; none of them disables the approval gate.
public struct FailsafePolicy: Sendable, Equatable {
    /// Ground link silent this long counts as lost.
    public var linkLossTimeoutUs: UInt64
    public var linkLossAction: FailsafeAction
    /// Below this the battery is low.
    public var lowBatteryVoltageV: Double
    public var lowBatteryAction: FailsafeAction
    public var geofenceAction: FailsafeAction
    /// Where the vehicle goes once navigation recovers after a GPS or estimator failure.
    public var navigationRecoveryAction: FailsafeAction
    /// Bank angle of the constant-bank orbit flown without position.
    public var failsafeBankRad: Double
    public var rtlHeightM: Double
    /// Flight-path angle of the terminal approach.
    public var approachFlightPathAngleRad: Double
    /// Height above the designation below which wave-offs and failures no longer end the approach.
    public var abortFloorAboveTargetM: Double
    /// Orbit radius for holds and climb-backs that have no plan orbit to return to.
    public var holdRadiusM: Double
    /// Largest orbit radius a reposition (DO_REPOSITION) may ask for: a wide orbit is a long way round a fence
    /// check, and no hold needs more.
    public var maximumHoldRadiusM: Double
    /// The volume around the designation that only an approved terminal phase may enter (plans, repositions,
    /// holds, and in flight).
    public var terminalExclusion: TerminalExclusion

    public init(linkLossTimeoutUs: UInt64 = 10_000_000, linkLossAction: FailsafeAction = .returnToLaunch,
                lowBatteryVoltageV: Double = 13.2, lowBatteryAction: FailsafeAction = .returnToLaunch,
                geofenceAction: FailsafeAction = .returnToLaunch, navigationRecoveryAction: FailsafeAction = .loiter,
                failsafeBankRad: Double = 0.35, rtlHeightM: Double = 100, approachFlightPathAngleRad: Double = 0.2,
                abortFloorAboveTargetM: Double = 30, holdRadiusM: Double = 100, maximumHoldRadiusM: Double = 1_000,
                terminalExclusion: TerminalExclusion = TerminalExclusion()) {
        self.linkLossTimeoutUs = linkLossTimeoutUs; self.linkLossAction = linkLossAction
        self.lowBatteryVoltageV = lowBatteryVoltageV; self.lowBatteryAction = lowBatteryAction
        self.geofenceAction = geofenceAction; self.navigationRecoveryAction = navigationRecoveryAction
        self.failsafeBankRad = failsafeBankRad; self.rtlHeightM = rtlHeightM
        self.approachFlightPathAngleRad = approachFlightPathAngleRad
        self.abortFloorAboveTargetM = abortFloorAboveTargetM; self.holdRadiusM = holdRadiusM
        self.maximumHoldRadiusM = maximumHoldRadiusM; self.terminalExclusion = terminalExclusion
    }
}

extension FailsafePolicy {
    /// The gate's configuration with the same failure actions and abort floor, so the gate and the mode machine
    /// cannot disagree about what a failure does.
    public func gateConfiguration(vehicleID: VehicleID,
                                  requestLifetimeUs: UInt64) throws(TerminalGateConfigurationError)
        -> TerminalGateConfiguration {
        try TerminalGateConfiguration(
            vehicleID: vehicleID, abortFloorAGLM: abortFloorAboveTargetM, requestLifetimeUs: requestLifetimeUs,
            linkLossAction: linkLossAction, estimatorFailureAction: navigationRecoveryAction,
            gpsFailureAction: navigationRecoveryAction, geofenceBreachAction: geofenceAction,
            lowBatteryAction: lowBatteryAction)
    }
}
