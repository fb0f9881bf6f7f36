import Control
import Testing
@testable import HILBoard

@Suite struct HILActuatorScalingTests {
    @Test func surfacesAndThrottleRoundTripToTheSamePulse() {
        for pulse in stride(from: 1000.0, through: 2000.0, by: 12.5) {
            for function in [OutputFunction.aileron, .elevator, .throttle] {
                let c = HILActuatorScaling.control(pulseUs: pulse, function: function)
                #expect(abs(HILActuatorScaling.pulseUs(control: c, function: function) - pulse) < 1e-3)
            }
        }
    }

    @Test func followsMAVLinksRanges() {
        #expect(HILActuatorScaling.control(pulseUs: 1500, function: .elevator) == 0)
        #expect(HILActuatorScaling.control(pulseUs: 2200, function: .elevator) == 1)
        #expect(HILActuatorScaling.control(pulseUs: 900, function: .aileron) == -1)
        #expect(HILActuatorScaling.control(pulseUs: 1000, function: .throttle) == 0)
        #expect(HILActuatorScaling.control(pulseUs: 0, function: .throttle) == 0)  // no pulse: motor off
        #expect(HILActuatorScaling.control(pulseUs: 0, function: .rudder) == 0)  // no pulse: neutral
        #expect(HILActuatorScaling.pulseUs(control: .nan, function: .throttle) == 1000)
    }
}
