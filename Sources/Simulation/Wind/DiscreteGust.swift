import FlightMath
import RealModule

/// A discrete "1 − cosine" gust: the wind rises smoothly from zero to `peakNEDMps` at mid-duration and returns to
/// zero at the end, v(t) = ½·peak·(1 − cos(2π(t − t0)/duration)).
public struct DiscreteGust: Hashable, Sendable {
    public var startS: Double
    public var durationS: Double
    public var peakNEDMps: Vector3

    public init(startS: Double, durationS: Double, peakNEDMps: Vector3) {
        self.startS = startS; self.durationS = durationS; self.peakNEDMps = peakNEDMps
    }

    public func velocityNEDMps(atS t: Double) -> Vector3 {
        let x = t - startS
        guard x > 0, x < durationS, durationS > 0 else { return .zero }
        return peakNEDMps * (0.5 * (1 - Double.cos(2 * Double.pi * x / durationS)))
    }
}
