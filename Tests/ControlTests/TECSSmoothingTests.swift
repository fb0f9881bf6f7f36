import FlightMath
import RealModule
import Testing
@testable import Control

/// What keeps TECS's demands smooth in rough air: the airspeed rate from the accelerometer blended with the pitot,
/// and the slew limits on the pitch and throttle demands.
@Suite struct TECSSmoothingTests {
    static let envelope = AirspeedConfig(minMps: 12, trimMps: 18, maxMps: 25)

    /// A pitot reading 18 m/s with 0.5 m/s of white noise at 50 Hz, the airframe steady: differentiated (the path
    /// without the accelerometer), the noise is a rate of several m/s²; blended with the forward acceleration (here 0
    /// plus a 0.3 m/s² accelerometer offset) it is a fraction of that, and the offset is absorbed. Over 20 seeds.
    @Test func theAccelerometerBlendKeepsPitotNoiseOutOfTheAirspeedRate() {
        var blendedWorst = 0.0, differentiatedBest = Double.infinity, offsetWorst = 0.0
        for seed in 1...20 {
            var random = RandomSource(seed: UInt64(seed))
            var blended = TECS(config: TECSConfig(), airspeed: Self.envelope)
            var differentiated = TECS(config: TECSConfig(), airspeed: Self.envelope)
            var blendedRate = ErrorSum(), differentiatedRate = ErrorSum(), lateRate = ErrorSum()
            for step in 0..<3000 {
                let airspeed = 18 + 0.5 * random.gaussian()
                func input(_ forward: Double?) -> TECSInput {
                    TECSInput(heightSetpointM: 100, airspeedSetpointMps: 18, heightM: 100, heightRateMps: 0,
                              airspeedMps: airspeed, forwardAccelerationMps2: forward)
                }
                _ = blended.update(input(0.3), dtS: 0.02, inFlight: true)
                _ = differentiated.update(input(nil), dtS: 0.02, inFlight: true)
                guard step >= 500 else { continue }
                blendedRate.add(blended.status.airspeedRateMps2)
                differentiatedRate.add(differentiated.status.airspeedRateMps2)
                if step >= 2500 { lateRate.add(blended.status.airspeedRateMps2) }
            }
            blendedWorst = max(blendedWorst, blendedRate.rms)
            differentiatedBest = min(differentiatedBest, differentiatedRate.rms)
            offsetWorst = max(offsetWorst, abs(lateRate.mean))
        }
        #expect(differentiatedBest > 3, "the differentiated pitot: \(differentiatedBest) m/s² RMS")
        #expect(blendedWorst < differentiatedBest / 4, "blended \(blendedWorst) against \(differentiatedBest) m/s²")
        #expect(offsetWorst < 0.15, "the accelerometer's offset left in the rate: \(offsetWorst) m/s²")
    }

    /// The rate follows a real change of airspeed: a steady 1 m/s² acceleration seen by both sensors.
    @Test func theBlendFollowsARealAcceleration() {
        var tecs = TECS(config: TECSConfig(), airspeed: Self.envelope)
        for step in 0..<250 {
            let airspeed = 14 + 1.0 * Double(step) * 0.02
            _ = tecs.update(TECSInput(heightSetpointM: 100, airspeedSetpointMps: 18, heightM: 100, heightRateMps: 0,
                                      airspeedMps: airspeed, forwardAccelerationMps2: 1.0), dtS: 0.02, inFlight: true)
        }
        #expect(abs(tecs.status.airspeedRateMps2 - 1.0) < 0.05)
    }

    /// A 30 m step in the height demand: the pitch demand moves by at most a_v / V per second and the throttle by
    /// the slew; underspeed protection's throttle is not held back.
    @Test func pitchAndThrottleDemandsSlewWithinTheirLimits() {
        let config = TECSConfig(maxVerticalAccelerationMps2: 4, throttleSlewPerS: 0.5)
        var tecs = TECS(config: config, airspeed: Self.envelope)
        let dt = 0.02
        var last = tecs.update(TECSInput(heightSetpointM: 100, airspeedSetpointMps: 18, heightM: 100,
                                         heightRateMps: 0, airspeedMps: 18), dtS: dt, inFlight: true)
        var largestPitchStep = 0.0, largestThrottleStep = 0.0
        for _ in 0..<100 {
            let out = tecs.update(TECSInput(heightSetpointM: 130, airspeedSetpointMps: 18, heightM: 100,
                                            heightRateMps: 0, airspeedMps: 18), dtS: dt, inFlight: true)
            largestPitchStep = max(largestPitchStep, abs(out.pitchSetpointRad - last.pitchSetpointRad))
            largestThrottleStep = max(largestThrottleStep, abs(out.throttle - last.throttle))
            last = out
        }
        #expect(largestPitchStep <= 4 / 18 * dt + 1e-12)
        #expect(largestPitchStep > 0.9 * 4 / 18 * dt, "the step demands more: the limit is what bounds it")
        #expect(largestThrottleStep <= 0.5 * dt + 1e-12)
        #expect(last.pitchSetpointRad > 0.2 && last.throttle > 0.9, "the demands still get there")

        let slow = tecs.update(TECSInput(heightSetpointM: 130, airspeedSetpointMps: 18, heightM: 100,
                                         heightRateMps: 0, airspeedMps: 10), dtS: dt, inFlight: true)
        #expect(slow.throttle == 1, "underspeed protection acts at once")
    }

    /// The status says when the pitch demand lay beyond its limits (what the SITL's control-effort figure counts).
    @Test func statusFlagsAPitchDemandClampedOnItsLimits() {
        var tecs = TECS(config: TECSConfig(maxVerticalAccelerationMps2: 0), airspeed: Self.envelope)
        _ = tecs.update(TECSInput(heightSetpointM: 100, airspeedSetpointMps: 18, heightM: 100, heightRateMps: 0,
                                  airspeedMps: 18), dtS: 0.02, inFlight: true)
        #expect(!tecs.status.pitchLimited)
        _ = tecs.update(TECSInput(heightSetpointM: 100, airspeedSetpointMps: 18, heightM: 100, heightRateMps: -30,
                                  airspeedMps: 18), dtS: 0.02, inFlight: true)
        #expect(tecs.status.pitchLimited)
        #expect(tecs.status.pitchSetpointRad == TECSConfig().pitchMaxRad)
    }
}

private struct ErrorSum {
    var count = 0, sum = 0.0, sumOfSquares = 0.0
    mutating func add(_ x: Double) { count += 1; sum += x; sumOfSquares += x * x }
    var rms: Double { (sumOfSquares / Double(count)).squareRoot() }
    var mean: Double { sum / Double(count) }
}
