import FlightMath

/// Pitot-static differential pressure: the dynamic pressure of the flow along the probe (body x), plus offset
/// and noise. Flow from behind gives no pressure rise on the pitot port; the sensor then reads its offset.
public struct AirspeedSensorModel: Sendable {
    public let section: AirspeedSensorSection
    private var random: RandomSource
    public private(set) var clock: SampleClock

    public init(section s: AirspeedSensorSection, seed: UInt64) {
        section = s
        random = .stream(seed: seed, label: SensorStreamLabel.airspeed)
        clock = SampleClock(rateHz: s.rateHz)
    }

    public mutating func sample(_ truth: SensorTruth) -> AirspeedSample? {
        guard clock.isDue(atUs: truth.timeUs) else { return nil }
        let u = max(0, truth.airVelocityFRDMps.x)
        let q = 0.5 * truth.air.densityKgpm3 * u * u
        return AirspeedSample(timestampUs: truth.timeUs,
                              differentialPressurePa: q + section.offsetPa + random.gaussian() * section.noisePa,
                              temperatureC: truth.air.temperatureC)
    }
}
