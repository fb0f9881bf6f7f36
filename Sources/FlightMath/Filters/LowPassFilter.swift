import RealModule

/// First-order (RC) low-pass filter with a fixed sample rate. `reset` seeds the state so that
/// the first output is not a step from zero.
public struct LowPassFilter: Sendable {
    public private(set) var alpha: Double
    public private(set) var value: Double
    private var primed = false

    /// `cutoffHz <= 0` makes a pass-through filter.
    public init(cutoffHz: Double, sampleRateHz: Double) {
        if cutoffHz > 0, sampleRateHz > 0 {
            let dt = 1 / sampleRateHz
            let rc = 1 / (2 * Double.pi * cutoffHz)
            alpha = dt / (rc + dt)
        } else {
            alpha = 1
        }
        value = 0
    }

    public mutating func reset(to v: Double) {
        value = v
        primed = true
    }

    @discardableResult
    public mutating func apply(_ sample: Double) -> Double {
        guard sample.isFinite else { return value }
        if !primed {
            reset(to: sample)
        } else {
            value += alpha * (sample - value)
        }
        return value
    }
}
