/// Pre-arm checks. A refusal names the first check that failed so the operator knows what to fix.
public enum ArmingRefusal: Equatable, Sendable, CustomStringConvertible {
    case estimatorNotHealthy
    case noGPSFix
    case armSwitchSafe
    case batteryLow(voltageV: Double, minimumV: Double)
    case launchAirspeedTooLow(LaunchAirspeedCheck)
    case noGeofence
    case noValidMission
    case notDisarmed

    public var description: String {
        switch self {
        case .estimatorNotHealthy: "arming refused: estimator not healthy (attitude and position must be valid)"
        case .noGPSFix: "arming refused: no healthy GPS fix"
        case .armSwitchSafe: "arming refused: the safety switch is in SAFE"
        case .batteryLow(let v, let min):
            "arming refused: battery \(v.isFinite ? "\(v)" : "unknown") V below \(min) V"
        case .launchAirspeedTooLow(let l):
            "arming refused: airspeed off the launcher would be \(Self.tenths(l.airspeedOffRailMps)) m/s (launcher "
                + "\(Self.tenths(l.launcherSpeedMps)) m/s, wind along the rail \(Self.tenths(l.headwindMps)) m/s), below "
                + "the \(Self.tenths(l.minimumAirspeedMps)) m/s minimum: turn the launcher into the wind (at most "
                + "\(Self.tenths(l.largestTailwindMps)) m/s from behind), and set FLT_LNCH_HWND to the measured wind"
        case .noGeofence: "arming refused: no geofence loaded"
        case .noValidMission: "arming refused: no valid mission loaded"
        case .notDisarmed: "arming refused: already armed"
        }
    }

    /// One decimal, without Foundation: "-8.0", "13.5", "nan".
    static func tenths(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e9 else { return "\(x)" }
        let t = Int((abs(x) * 10).rounded())
        return (x < 0 && t != 0 ? "-" : "") + "\(t / 10).\(t % 10)"
    }
}

public enum ArmingChecks {
    public static func refusal(inputs: ModeInputs, policy: FailsafePolicy, hasGeofence: Bool,
                               hasMission: Bool) -> ArmingRefusal? {
        if !(inputs.attitudeValid && inputs.positionValid) { return .estimatorNotHealthy }
        if !inputs.gpsHealthy { return .noGPSFix }
        if !inputs.armSwitchInArm { return .armSwitchSafe }
        // NaN means the board has no battery monitor; with one, the voltage must be above the threshold.
        if !inputs.batteryVoltageV.isNaN, !(inputs.batteryVoltageV >= policy.lowBatteryVoltageV) {
            return .batteryLow(voltageV: inputs.batteryVoltageV, minimumV: policy.lowBatteryVoltageV)
        }
        if let launch = inputs.launch, !launch.isSafe { return .launchAirspeedTooLow(launch) }
        if !hasGeofence { return .noGeofence }
        if !hasMission { return .noValidMission }
        return nil
    }
}
