import FlightMath

/// Accelerometer and gyroscope at the IMU's sample rate.
public struct IMUSensorModel: Sendable {
    public let section: IMUSensorSection
    public private(set) var accel: InertialTriadModel
    public private(set) var gyro: InertialTriadModel
    public private(set) var clock: SampleClock

    public init(section s: IMUSensorSection, seed: UInt64) {
        section = s
        accel = InertialTriadModel(
            parameters: InertialErrorParameters(
                noiseDensityPerRtHz: s.accelNoiseDensityMps2PerRtHz, biasInstability: s.accelBiasInstabilityMps2,
                biasCorrelationTimeS: s.accelBiasCorrelationTimeS, randomWalkPerRtHz: s.accelRandomWalkMps3PerRtHz,
                turnOnBiasSigma: s.accelTurnOnBiasMps2, scaleFactorSigma: s.accelScaleFactorError,
                biasPerDegCSigma: s.accelBiasPerDegCMps2),
            rateHz: s.rateHz, random: .stream(seed: seed, label: SensorStreamLabel.accelerometer))
        gyro = InertialTriadModel(
            parameters: InertialErrorParameters(
                noiseDensityPerRtHz: s.gyroNoiseDensityRadpsPerRtHz, biasInstability: s.gyroBiasInstabilityRadps,
                biasCorrelationTimeS: s.gyroBiasCorrelationTimeS, randomWalkPerRtHz: s.gyroRandomWalkRadps2PerRtHz,
                turnOnBiasSigma: s.gyroTurnOnBiasRadps, scaleFactorSigma: s.gyroScaleFactorError,
                biasPerDegCSigma: s.gyroBiasPerDegCRadps),
            rateHz: s.rateHz, random: .stream(seed: seed, label: SensorStreamLabel.gyroscope))
        clock = SampleClock(rateHz: s.rateHz)
    }

    /// A sample when one is due at `truth.timeUs`.
    public mutating func sample(_ truth: SensorTruth) -> IMUSample? {
        guard clock.isDue(atUs: truth.timeUs) else { return nil }
        let dieC = truth.air.temperatureC + section.temperatureOffsetC
        return IMUSample(
            timestampUs: truth.timeUs,
            accelFRDMps2: accel.measure(truth.specificForceFRDMps2, temperatureC: dieC),
            gyroFRDRadps: gyro.measure(truth.bodyRateFRDRadps, temperatureC: dieC),
            temperatureC: dieC)
    }
}

/// Labels of the independent random streams, fixed so that adding a consumer never shifts another's numbers.
public enum SensorStreamLabel {
    public static let accelerometer: UInt64 = 0x0101
    public static let gyroscope: UInt64 = 0x0102
    public static let barometer: UInt64 = 0x0201
    public static let gps: UInt64 = 0x0301
    public static let magnetometer: UInt64 = 0x0401
    public static let airspeed: UInt64 = 0x0501
    public static let turbulence: UInt64 = 0x0901
    /// Not a sensor: the phase of each servo's PWM frame (ActuatorModel), in the same registry so no label repeats.
    public static let servoFramePhase: UInt64 = 0x0A01
}
