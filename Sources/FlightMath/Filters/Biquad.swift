import RealModule

/// Direct-form-II-transposed biquad section: second-order low-pass (Butterworth) and notch designs, as used for
/// gyro and accelerometer filtering on flight controllers. Coefficients follow the bilinear transform with
/// frequency pre-warping.
public struct Biquad: Sendable {
    public private(set) var b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0
    private var z1 = 0.0, z2 = 0.0

    /// Pass-through.
    public init() {}

    /// Raw coefficients, normalised so that a0 = 1.
    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.a1 = a1; self.a2 = a2
    }

    /// Second-order Butterworth low-pass. A cutoff at or above Nyquist, or non-positive, gives a pass-through.
    public static func lowPass(cutoffHz: Double, sampleRateHz: Double) -> Biquad {
        guard cutoffHz > 0, sampleRateHz > 0, cutoffHz < sampleRateHz / 2 else { return Biquad() }
        let k = Double.tan(Double.pi * cutoffHz / sampleRateHz)
        let q = 1 / 2.0.squareRoot()
        let norm = 1 / (1 + k / q + k * k)
        let b0 = k * k * norm
        return Biquad(b0: b0, b1: 2 * b0, b2: b0, a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm)
    }

    /// Notch at `centerHz` with the -3 dB width `bandwidthHz`.
    public static func notch(centerHz: Double, bandwidthHz: Double, sampleRateHz: Double) -> Biquad {
        guard centerHz > 0, bandwidthHz > 0, sampleRateHz > 0, centerHz < sampleRateHz / 2 else { return Biquad() }
        let q = centerHz / bandwidthHz
        let k = Double.tan(Double.pi * centerHz / sampleRateHz)
        let norm = 1 / (1 + k / q + k * k)
        let b0 = (1 + k * k) * norm
        let b1 = 2 * (k * k - 1) * norm
        return Biquad(b0: b0, b1: b1, b2: b0, a1: b1, a2: (1 - k / q + k * k) * norm)
    }

    /// Sets the internal state to the steady state for a constant input `v`.
    public mutating func reset(to v: Double) {
        let dcGain = (b0 + b1 + b2) / (1 + a1 + a2)
        let y = v * dcGain
        z1 = y - b0 * v
        z2 = b2 * v - a2 * y
    }

    @discardableResult
    public mutating func apply(_ x: Double) -> Double {
        guard x.isFinite else { return z1 }  // hold: a NaN must not poison the state
        let y = b0 * x + z1
        z1 = b1 * x - a1 * y + z2
        z2 = b2 * x - a2 * y
        return y
    }
}
