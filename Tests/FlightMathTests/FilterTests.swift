import FlightMath
import RealModule
import Testing

@Suite struct FilterTests {
    @Test func lowPassReaches63PercentAfterOneTimeConstant() {
        let rate = 1000.0, cutoff = 2.0
        var f = LowPassFilter(cutoffHz: cutoff, sampleRateHz: rate)
        f.reset(to: 0)
        let tau = 1 / (2 * Double.pi * cutoff)
        var out = 0.0
        for _ in 0..<Int(tau * rate) { out = f.apply(1) }
        #expect(abs(out - (1 - Double.exp(-1))) < 0.01)
        // NaN is ignored, not propagated.
        #expect(f.apply(.nan) == out)
    }

    /// |H(e^jω)| of the section, evaluated from its coefficients.
    private func gain(_ f: Biquad, frequencyHz: Double, sampleRateHz: Double) -> Double {
        let w = 2 * Double.pi * frequencyHz / sampleRateHz
        func magnitude(_ c0: Double, _ c1: Double, _ c2: Double) -> Double {
            let re = c0 + c1 * Double.cos(w) + c2 * Double.cos(2 * w)
            let im = -c1 * Double.sin(w) - c2 * Double.sin(2 * w)
            return (re * re + im * im).squareRoot()
        }
        return magnitude(f.b0, f.b1, f.b2) / magnitude(1, f.a1, f.a2)
    }

    /// The same gain measured by running samples through the filter, so the difference equation is tested too.
    private func measuredGain(_ filter: Biquad, frequencyHz: Double, sampleRateHz: Double) -> Double {
        var f = filter
        var sumIn = 0.0, sumOut = 0.0
        let n = Int(sampleRateHz * 4)
        for i in 0..<n {
            let x = Double.sin(2 * Double.pi * frequencyHz * Double(i) / sampleRateHz)
            let y = f.apply(x)
            if i > n / 2 { sumIn += x * x; sumOut += y * y }
        }
        return (sumOut / sumIn).squareRoot()
    }

    @Test func butterworthLowPassResponse() {
        let lp = Biquad.lowPass(cutoffHz: 20, sampleRateHz: 400)
        #expect(abs(gain(lp, frequencyHz: 1, sampleRateHz: 400) - 1) < 0.01)
        // -3 dB at the cutoff.
        #expect(abs(gain(lp, frequencyHz: 20, sampleRateHz: 400) - 1 / 2.0.squareRoot()) < 0.02)
        // Second order: 40 dB/decade, so well under -30 dB at 150 Hz.
        #expect(gain(lp, frequencyHz: 150, sampleRateHz: 400) < 0.03)
        #expect(abs(measuredGain(lp, frequencyHz: 20, sampleRateHz: 400) - 1 / 2.0.squareRoot()) < 0.02)
    }

    @Test func notchRemovesItsCentreOnly() {
        let notch = Biquad.notch(centerHz: 80, bandwidthHz: 20, sampleRateHz: 1000)
        #expect(gain(notch, frequencyHz: 80, sampleRateHz: 1000) < 0.01)
        #expect(abs(gain(notch, frequencyHz: 10, sampleRateHz: 1000) - 1) < 0.02)
        #expect(abs(gain(notch, frequencyHz: 300, sampleRateHz: 1000) - 1) < 0.03)
        #expect(measuredGain(notch, frequencyHz: 80, sampleRateHz: 1000) < 0.01)
        #expect(abs(measuredGain(notch, frequencyHz: 10, sampleRateHz: 1000) - 1) < 0.02)
    }

    @Test func biquadResetSettlesImmediately() {
        var lp = Biquad.lowPass(cutoffHz: 10, sampleRateHz: 400)
        lp.reset(to: 5)
        #expect(abs(lp.apply(5) - 5) < 1e-12)
        #expect(Biquad.lowPass(cutoffHz: 300, sampleRateHz: 400).b0 == 1)  // above Nyquist: pass-through
    }

    @Test func pidLimitsAndAntiWindup() {
        var pid = PID(gains: .init(kp: 1, ki: 2, kd: 0, integratorLimit: 0.5, outputLimit: 1))
        // A large persistent error saturates the output; the integrator must not wind up past its limit
        // and must not grow while the output is saturated in the same direction.
        for _ in 0..<1000 { _ = pid.update(setpoint: 10, measurement: 0, dtS: 0.01) }
        #expect(pid.lastOutput == 1)
        #expect(pid.integrator <= 0.5)
        let woundUp = pid.integrator
        // When the error reverses the output leaves saturation at once (no wind-up delay).
        let out = pid.update(setpoint: -0.5, measurement: 0, dtS: 0.01)
        #expect(out < 0)
        #expect(woundUp < 0.5 || out < 0)
    }

    @Test func pidIntegratorRemovesSteadyStateError() {
        // First-order plant x' = -x + u, with a disturbance of -0.5: P alone leaves an error, PI removes it.
        var pid = PID(gains: .init(kp: 2, ki: 1, integratorLimit: 5, outputLimit: 10))
        var x = 0.0
        let dt = 0.01
        for _ in 0..<5000 {
            let u = pid.update(setpoint: 1, measurement: x, dtS: dt)
            x += (-x + u - 0.5) * dt
        }
        #expect(abs(x - 1) < 1e-3)
    }

    @Test func pidRejectsNonFiniteInput() {
        var pid = PID(gains: .init(kp: 1, ki: 1, integratorLimit: 1, outputLimit: 1))
        let a = pid.update(setpoint: 0.2, measurement: 0, dtS: 0.01)
        #expect(pid.update(setpoint: .nan, measurement: 0, dtS: 0.01) == a)
        #expect(pid.update(setpoint: 0.2, measurement: .infinity, dtS: 0.01) == a)
        #expect(pid.update(setpoint: 0.2, measurement: 0, dtS: 0) == a)
    }
}
