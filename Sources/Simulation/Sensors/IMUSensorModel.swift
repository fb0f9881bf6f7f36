import FlightMath

/// Accelerometer and gyroscope at the IMU's sample rate.
public struct IMUSensorModel: Sendable {
    public let section: IMUSensorSection
    public private(set) var accel: InertialTriadModel
    public private(set) var gyro: InertialTriadModel
    public private(set) var clock: SampleClock
    public let mounting: IMUMountingErrors
    public private(set) var vibration: IMUVibrationModel?
    /// The rotor's tones at the last sample, for the emulated chip's filter.
    public private(set) var lastVibration = IMUVibration.none
    private var lastBodyRate: (timeUs: UInt64, radps: Vector3)?

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
        // Streams of their own, so adding these left every earlier draw where it was.
        mounting = IMUMountingErrors(section: s, random: .stream(seed: seed, label: SensorStreamLabel.imuMounting))
        vibration = s.vibration.map {
            IMUVibrationModel(section: $0, random: .stream(seed: seed, label: SensorStreamLabel.imuVibration))
        }
    }

    /// Die temperature at `timeUs`: self-heating from the air's temperature towards the configured offset.
    public func dieTemperatureC(airC: Double, timeUs: UInt64) -> Double {
        let tau = section.warmupTimeConstantS
        let warmed = tau > 0 ? 1 - Double.exp(-Double(timeUs) * 1e-6 / tau) : 1
        return airC + section.temperatureOffsetC * warmed
    }

    /// A sample when one is due at `truth.timeUs`.
    public mutating func sample(_ truth: SensorTruth) -> IMUSample? {
        guard clock.isDue(atUs: truth.timeUs) else { return nil }
        let dieC = dieTemperatureC(airC: truth.air.temperatureC, timeUs: truth.timeUs)
        let rate = truth.bodyRateFRDRadps
        var angularAccel = Vector3.zero
        if let last = lastBodyRate, truth.timeUs > last.timeUs {
            angularAccel = (rate - last.radps) / (Double(truth.timeUs - last.timeUs) * 1e-6)
        }
        lastBodyRate = (truth.timeUs, rate)
        var specificForce = mounting.specificForceAtIMU(cgFRDMps2: truth.specificForceFRDMps2, bodyRateFRDRadps: rate,
                                                        bodyAngularAccelFRDRadps2: angularAccel)
        if var v = vibration {
            let (tones, broadband) = v.sample(atUs: truth.timeUs, speedFraction: truth.rotorSpeedFraction)
            vibration = v
            lastVibration = tones
            specificForce += broadband
        }
        let gyroTruth = mounting.gyroAxes * rate + specificForce.scaled(by: mounting.gyroGSensitivity)
        return IMUSample(
            timestampUs: truth.timeUs,
            accelFRDMps2: accel.measure(mounting.accelAxes * specificForce, temperatureC: dieC),
            gyroFRDRadps: gyro.measure(gyroTruth, temperatureC: dieC),
            temperatureC: dieC)
    }
}

/// Labels of the independent random streams, fixed so that adding a consumer never shifts another's numbers.
public enum SensorStreamLabel {
    public static let accelerometer: UInt64 = 0x0101
    public static let gyroscope: UInt64 = 0x0102
    public static let imuMounting: UInt64 = 0x0103
    public static let imuVibration: UInt64 = 0x0104
    public static let barometer: UInt64 = 0x0201
    public static let gps: UInt64 = 0x0301
    public static let magnetometer: UInt64 = 0x0401
    public static let airspeed: UInt64 = 0x0501
    public static let turbulence: UInt64 = 0x0901
    /// Not a sensor: the phase of each servo's PWM frame (ActuatorModel), in the same registry so no label repeats.
    public static let servoFramePhase: UInt64 = 0x0A01
}
