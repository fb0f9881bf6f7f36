import FlightMath
import MAVLink
import Mission
import Vehicle

/// The parameters a ground station lists, in one place for `kestrel fly` and `kestrel sim`: the failsafe policy's
/// values (read-only: they come from the mission or scenario file) and each airframe tunable under its MAVLink name.
package enum GroundParameters {
    /// The failsafe policy's values, in the order ground stations list them.
    package static func failsafe(_ policy: FailsafePolicy) -> [LinkParameter] {
        [
            real("RTL_ALT_M", policy.rtlHeightM),
            real("LOITER_RAD_M", policy.holdRadiusM),
            real("LINK_LOSS_S", Double(policy.linkLossTimeoutUs) * 1e-6),
            real("LOW_BATT_V", policy.lowBatteryVoltageV),
            real("TERM_FPA_DEG", policy.approachFlightPathAngleRad * Angle.degreesPerRadian),
            real("TERM_FLOOR_M", policy.abortFloorAboveTargetM),
            real("TERM_EXCL_RAD_M", policy.terminalExclusion.radiusM),
            real("TERM_EXCL_HGT_M", policy.terminalExclusion.heightAboveDesignationM),
        ].compactMap { $0 }
    }

    /// One airframe tunable as a link parameter (nil for a name MAVLink cannot carry).
    package static func airframe(_ p: AirframeParameters.Parameter) -> LinkParameter? {
        ParameterID(p.name).map { LinkParameter(id: $0, value: p.value, type: p.kind == .real ? .real32 : .int32) }
    }

    package static func real(_ name: String, _ value: Double) -> LinkParameter? {
        ParameterID(name).map { LinkParameter(id: $0, value: value, type: .real32) }
    }
}
