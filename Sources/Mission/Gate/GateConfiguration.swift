/// Settings of the terminal gate. There is deliberately no setting that disables or bypasses the gate: SITL, bench
/// and flight all run the same checks, SITL with test keys.
public struct TerminalGateConfiguration: Sendable {
    public static let minimumRequestLifetimeUs: UInt64 = 1_000_000
    /// An approval that stays usable for long can be acted on after the situation it judged has changed.
    public static let maximumRequestLifetimeUs: UInt64 = 600_000_000

    public let vehicleID: VehicleID
    /// Height above ground below which the approach is committed: wave-off and failures no longer end it, because a
    /// pull-up from there may not clear the ground.
    public let abortFloorAGLM: Double
    /// How long after issue a request can be approved.
    public let requestLifetimeUs: UInt64
    public let linkLossAction: FailsafeAction
    public let estimatorFailureAction: FailsafeAction
    public let gpsFailureAction: FailsafeAction
    public let geofenceBreachAction: FailsafeAction
    public let lowBatteryAction: FailsafeAction

    public init(
        vehicleID: VehicleID, abortFloorAGLM: Double, requestLifetimeUs: UInt64,
        linkLossAction: FailsafeAction = .returnToLaunch, estimatorFailureAction: FailsafeAction = .loiter,
        gpsFailureAction: FailsafeAction = .loiter, geofenceBreachAction: FailsafeAction = .returnToLaunch,
        lowBatteryAction: FailsafeAction = .returnToLaunch
    ) throws(TerminalGateConfigurationError) {
        guard abortFloorAGLM.isFinite, abortFloorAGLM >= 0 else { throw .abortFloorInvalid(abortFloorAGLM) }
        guard requestLifetimeUs >= Self.minimumRequestLifetimeUs, requestLifetimeUs <= Self.maximumRequestLifetimeUs
        else { throw .requestLifetimeOutOfRange(requestLifetimeUs) }
        self.vehicleID = vehicleID
        self.abortFloorAGLM = abortFloorAGLM
        self.requestLifetimeUs = requestLifetimeUs
        self.linkLossAction = linkLossAction
        self.estimatorFailureAction = estimatorFailureAction
        self.gpsFailureAction = gpsFailureAction
        self.geofenceBreachAction = geofenceBreachAction
        self.lowBatteryAction = lowBatteryAction
    }

    public func action(for failure: GateFailure) -> FailsafeAction {
        switch failure {
        case .linkLoss: linkLossAction
        case .estimator: estimatorFailureAction
        case .gps: gpsFailureAction
        case .geofence: geofenceBreachAction
        case .battery: lowBatteryAction
        }
    }
}

public enum TerminalGateConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case abortFloorInvalid(Double)
    case requestLifetimeOutOfRange(UInt64)

    public var description: String {
        switch self {
        case .abortFloorInvalid(let v): "terminal abort floor \(v) m AGL must be a finite height ≥ 0"
        case .requestLifetimeOutOfRange(let v):
            "approval request lifetime \(v) µs must lie in \(TerminalGateConfiguration.minimumRequestLifetimeUs)…\(TerminalGateConfiguration.maximumRequestLifetimeUs) µs"
        }
    }
}
