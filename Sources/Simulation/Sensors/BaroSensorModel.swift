import FlightMath

/// Static pressure from the standard atmosphere at the true altitude, with a power-on offset, a linear thermal
/// drift and white noise.
public struct BaroSensorModel: Sendable {
    public let section: BaroSensorSection
    public let offsetPa: Double
    private var random: RandomSource
    public private(set) var clock: SampleClock

    public init(section s: BaroSensorSection, seed: UInt64) {
        section = s
        var r = RandomSource.stream(seed: seed, label: SensorStreamLabel.barometer)
        offsetPa = r.gaussian() * s.offsetSigmaPa
        random = r
        clock = SampleClock(rateHz: s.rateHz)
    }

    public mutating func sample(_ truth: SensorTruth) -> BaroSample? {
        guard clock.isDue(atUs: truth.timeUs) else { return nil }
        let drift = section.driftPaPerS * Double(truth.timeUs) * 1e-6
        return BaroSample(
            timestampUs: truth.timeUs,
            pressurePa: truth.air.pressurePa + offsetPa + drift + random.gaussian() * section.noisePa,
            temperatureC: truth.air.temperatureC)
    }
}
