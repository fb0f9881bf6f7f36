@testable import FlightRuntime
import MAVLink
import Mission
import Testing

/// The failsafe policy as the ground station lists it: every value the gate and the failsafes fly with.
@Suite struct GroundParametersTests {
    @Test func theExclusionVolumeIsListedWithThePolicysValues() throws {
        var policy = FailsafePolicy()
        policy.terminalExclusion.radiusM = 310
        policy.terminalExclusion.heightAboveDesignationM = 70
        let listed = GroundParameters.failsafe(policy)
        func value(_ name: String) -> Double? { listed.first { $0.id == ParameterID(name) }?.value }
        #expect(value("TERM_EXCL_RAD_M") == 310)
        #expect(value("TERM_EXCL_HGT_M") == 70)
        #expect(value("TERM_FLOOR_M") == policy.abortFloorAboveTargetM)
    }
}
