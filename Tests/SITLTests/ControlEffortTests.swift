import Control
import Foundation
import FlightMath
import Simulation
import Testing
@testable import SITL

@Suite struct ControlEffortTests {
    /// A pitch demand swinging ±6° at 0.5 Hz with its top quarter clamped on the limit, a throttle stepping between
    /// 0.4 and 0.6 every second, one surface sweeping ±10° at 1 Hz: the figures are those of the signals.
    @Test func figuresAreThoseOfTheSignals() {
        var effort = ControlEffort()
        let dt = 0.008
        for step in 0...12_500 {  // 100 s at the SITL's 125 Hz metrics rate
            let t = Double(step) * dt
            var tecs = TECSStatus()
            let pitchDeg = 6 * sin(2 * .pi * 0.5 * t)
            tecs.pitchSetpointRad = pitchDeg / Angle.degreesPerRadian
            tecs.pitchLimited = pitchDeg > 6 * sin(.pi / 4)
            tecs.throttle = Int(t) % 2 == 0 ? 0.4 : 0.6
            var surfaces = SurfaceChannels()
            surfaces[0] = 10 * sin(2 * .pi * t) / Angle.degreesPerRadian
            effort.record(timeS: t, tecs: tecs, deflectionsRad: surfaces, surfaceChannels: 2)
        }
        #expect(abs(effort.pitchSetpointDeg.standardDeviation - 6 / 2.0.squareRoot()) < 0.01)
        // d/dt of 6 sin(πt) has RMS 6π/√2 °/s.
        #expect(abs(effort.pitchSetpointRateDegps.rms - 6 * .pi / 2.0.squareRoot()) < 0.05)
        #expect(abs(effort.pitchLimitedFraction - 0.25) < 0.005)
        #expect(abs(effort.throttle.standardDeviation - 0.1) < 0.001)
        // 0.2 of travel per second.
        #expect(abs(effort.throttleActivityPerS - 0.2) < 0.005)
        // 40° per cycle, 60 cycles a minute.
        #expect(abs(effort.maxSurfaceTravelDegPerMin - 2400) < 5)
    }

    /// Leaving the window (another mode) starts a new run of differences: the jump across the gap is no travel.
    @Test func aGapIsNoTravel() {
        var effort = ControlEffort()
        var tecs = TECSStatus()
        tecs.throttle = 0.2
        effort.record(timeS: 0, tecs: tecs, deflectionsRad: SurfaceChannels(), surfaceChannels: 1)
        effort.record(timeS: 1, tecs: tecs, deflectionsRad: SurfaceChannels(), surfaceChannels: 1)
        effort.pause()
        tecs.throttle = 1
        effort.record(timeS: 50, tecs: tecs, deflectionsRad: SurfaceChannels(0.5), surfaceChannels: 1)
        effort.record(timeS: 51, tecs: tecs, deflectionsRad: SurfaceChannels(0.5), surfaceChannels: 1)
        #expect(effort.throttleTravel == 0 && effort.surfaceTravelDeg[0] == 0)
        #expect(effort.durationS == 2)
        #expect(ControlEffort().throttleActivityPerS.isNaN && ControlEffort().pitchLimitedFraction.isNaN)
    }
}
