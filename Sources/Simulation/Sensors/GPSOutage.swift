/// A window of simulated time without a GPS fix (antenna shadowing, jamming, receiver fault).
public struct GPSOutage: Hashable, Sendable {
    public var startS: Double
    public var durationS: Double

    public init(startS: Double, durationS: Double) {
        self.startS = startS; self.durationS = durationS
    }

    public func contains(_ tS: Double) -> Bool { tS >= startS && tS < startS + durationS }
}
