import FlightMath
import RealModule

/// Earth field of fixed declination, inclination and strength, seen in body axes, plus the airframe's hard-iron
/// field and white noise.
public struct MagSensorModel: Sendable {
    public let section: MagSensorSection
    public let earthFieldNEDGauss: Vector3
    public let hardIronFRDGauss: Vector3
    private var random: RandomSource
    public private(set) var clock: SampleClock

    public init(section s: MagSensorSection, seed: UInt64) {
        section = s
        let d = Angle.radians(fromDegrees: s.declinationDeg), i = Angle.radians(fromDegrees: s.inclinationDeg)
        earthFieldNEDGauss = Vector3(Double.cos(i) * Double.cos(d), Double.cos(i) * Double.sin(d), Double.sin(i))
            * s.fieldStrengthGauss
        let h = s.hardIronFRDGauss
        hardIronFRDGauss = h.count == 3 ? Vector3(h[0], h[1], h[2]) : .zero
        random = .stream(seed: seed, label: SensorStreamLabel.magnetometer)
        clock = SampleClock(rateHz: s.rateHz)
    }

    public mutating func sample(_ truth: SensorTruth) -> MagSample? {
        guard clock.isDue(atUs: truth.timeUs) else { return nil }
        let body = truth.attitude.inverseRotate(earthFieldNEDGauss)
        return MagSample(timestampUs: truth.timeUs,
                         fieldFRDGauss: body + hardIronFRDGauss + random.gaussianVector(standardDeviation: section.noiseGauss))
    }
}
