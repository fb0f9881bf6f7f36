import FlightMath
import RealModule

/// Noise and error figures of the simulated sensors. Defaults: MPU-6050-class IMU as it behaves on a vibrating
/// airframe (well above the datasheet's 0.005 °/s/√Hz and 400 µg/√Hz), a u-blox-class GPS, a BMP280-class baro.
struct SensorErrorModel {
    var imuRateHz = 400.0
    var gyroNoiseDensityRadpsPerRtHz = 0.002
    var accelNoiseDensityMps2PerRtHz = 0.03
    var gyroTurnOnBiasRadps = Vector3(0.01, -0.008, 0.006)
    var gyroBiasWalkRadpsPerRtS = 3e-5
    var accelTurnOnBiasMps2 = Vector3(0.08, -0.06, 0.1)
    var accelBiasWalkMps2PerRtS = 3e-4

    var gpsRateHz = 5.0
    var gpsLatencyS = 0.15
    /// White horizontal noise per fix, plus a slowly wandering (first-order Gauss–Markov) part like a real
    /// receiver's multipath and atmosphere errors.
    var gpsHorizontalWhiteM = 0.8
    var gpsHorizontalWanderM = 0.6
    var gpsWanderTimeConstantS = 30.0
    var gpsVerticalNoiseM = 1.5
    var gpsVelocityNoiseMps = 0.1

    var baroRateHz = 50.0
    var baroNoiseM = 0.3
    var magRateHz = 50.0
    var magNoiseGauss = 0.004
    var airspeedRateHz = 20.0
    var airspeedNoisePa = 1.5

    /// Earth field at the test site (gauss, NED): 0.2 G horizontal at 4° declination, 62° inclination.
    var earthFieldNEDGauss: Vector3 {
        let decl = Angle.radians(fromDegrees: 4)
        let horizontal = 0.2
        return Vector3(horizontal * Double.cos(decl), horizontal * Double.sin(decl),
                       horizontal * Double.tan(Angle.radians(fromDegrees: 62)))
    }
    var declinationRad: Double { Angle.radians(fromDegrees: 4) }
}

/// Something unusual to do to the sensors at a given time.
struct SensorFaults {
    /// GPS delivers nothing in this window (s).
    var gpsOutage: ClosedRange<Double>?
    /// GPS positions jump by this much (NED, m) in this window.
    var gpsGlitch: (window: ClosedRange<Double>, offsetNEDM: Vector3)?
    /// Magnetometer field error during this window (gauss, body frame), e.g. a steel launcher.
    var magDisturbance: (window: ClosedRange<Double>, fieldFRDGauss: Vector3)?
    var magAbsent = false
    /// A driver bug: GPS fixes stamped with their arrival time instead of their measurement time.
    var gpsStampedAtArrival = false
    var airspeedAbsent = false
}

/// Produces the samples the drivers would deliver for a trajectory, each at its own rate, GPS with latency.
struct SensorSimulator {
    let model: SensorErrorModel
    let faults: SensorFaults
    let origin = Geodetic(latitudeDeg: 47.397_742, longitudeDeg: 8.545_594, altitudeM: 488)
    let frame: LocalFrame
    private var imuNoise: RandomSource
    private var gpsNoise: RandomSource
    private var otherNoise: RandomSource
    private(set) var gyroBiasRadps: Vector3
    private(set) var accelBiasMps2: Vector3
    private var gpsWanderNEM = Vector3.zero
    private var pendingGPS: [GPSFix] = []
    private var nextGPSS = 0.0
    private var nextBaroS = 0.0
    private var nextMagS = 0.0
    private var nextAirspeedS = 0.0

    init(model: SensorErrorModel = SensorErrorModel(), faults: SensorFaults = SensorFaults(), seed: UInt64) {
        self.model = model
        self.faults = faults
        frame = LocalFrame(origin: origin)
        imuNoise = RandomSource.stream(seed: seed, label: 1)
        gpsNoise = RandomSource.stream(seed: seed, label: 2)
        otherNoise = RandomSource.stream(seed: seed, label: 3)
        gyroBiasRadps = model.gyroTurnOnBiasRadps
        accelBiasMps2 = model.accelTurnOnBiasMps2
    }

    static func microseconds(_ s: Double) -> UInt64 { UInt64((s * 1e6).rounded()) }

    mutating func imu(at t: Double, trajectory: TruthTrajectory) -> IMUSample {
        let dt = 1 / model.imuRateHz
        gyroBiasRadps += imuNoise.gaussianVector(standardDeviation: model.gyroBiasWalkRadpsPerRtS * dt.squareRoot())
        accelBiasMps2 += imuNoise.gaussianVector(standardDeviation: model.accelBiasWalkMps2PerRtS * dt.squareRoot())
        let rootRate = model.imuRateHz.squareRoot()
        let gyro = trajectory.bodyRateFRDRadps(t) + gyroBiasRadps
            + imuNoise.gaussianVector(standardDeviation: model.gyroNoiseDensityRadpsPerRtHz * rootRate)
        let accel = trajectory.specificForceFRDMps2(t) + accelBiasMps2
            + imuNoise.gaussianVector(standardDeviation: model.accelNoiseDensityMps2PerRtHz * rootRate)
        return IMUSample(timestampUs: Self.microseconds(t), accelFRDMps2: accel, gyroFRDRadps: gyro, temperatureC: 30)
    }

    /// GPS fixes measured up to `t` are created here; those whose latency has elapsed by `t` are returned.
    mutating func gps(at t: Double, truthPositionNEDM: Vector3, trajectory: TruthTrajectory) -> GPSFix? {
        if t >= nextGPSS {
            let measuredAt = nextGPSS
            nextGPSS += 1 / model.gpsRateHz
            let period = 1 / model.gpsRateHz
            let a = Double.exp(-period / model.gpsWanderTimeConstantS)
            let drive = model.gpsHorizontalWanderM * (1 - a * a).squareRoot()
            gpsWanderNEM = Vector3(gpsWanderNEM.x * a + drive * gpsNoise.gaussian(),
                                   gpsWanderNEM.y * a + drive * gpsNoise.gaussian(), 0)
            var error = gpsWanderNEM + Vector3(gpsNoise.gaussian() * model.gpsHorizontalWhiteM,
                                               gpsNoise.gaussian() * model.gpsHorizontalWhiteM,
                                               gpsNoise.gaussian() * model.gpsVerticalNoiseM)
            if let glitch = faults.gpsGlitch, glitch.window.contains(measuredAt) { error += glitch.offsetNEDM }
            let velocity = trajectory.velocityNEDMps(measuredAt)
                + gpsNoise.gaussianVector(standardDeviation: model.gpsVelocityNoiseMps)
            // The truth position is at `t`, a fraction of an IMU period after `measuredAt`; correct for it.
            let position = truthPositionNEDM - trajectory.velocityNEDMps(t) * (t - measuredAt) + error
            let fix = GPSFix(timestampUs: Self.microseconds(measuredAt), fixType: .fix3D,
                             position: frame.geodetic(ofNED: position), velocityNEDMps: velocity,
                             horizontalAccuracyM: 1.2, verticalAccuracyM: 2.0, speedAccuracyMps: 0.15,
                             satellitesUsed: 12)
            let silenced = faults.gpsOutage.map { $0.contains(measuredAt) } ?? false
            if !silenced { pendingGPS.append(fix) }
        }
        if let first = pendingGPS.first, Double(first.timestampUs) * 1e-6 + model.gpsLatencyS <= t + 1e-9 {
            pendingGPS.removeFirst()
            if faults.gpsStampedAtArrival {
                var late = first
                late.timestampUs = Self.microseconds(t)
                return late
            }
            return first
        }
        return nil
    }

    mutating func baro(at t: Double, heightM: Double) -> BaroSample? {
        guard t >= nextBaroS else { return nil }
        nextBaroS += 1 / model.baroRateHz
        let altitude = origin.altitudeM + heightM + otherNoise.gaussian() * model.baroNoiseM
        return BaroSample(timestampUs: Self.microseconds(t), pressurePa: Self.pressurePa(altitudeM: altitude),
                          temperatureC: 15)
    }

    mutating func mag(at t: Double, attitude: Quaternion) -> MagSample? {
        guard !faults.magAbsent, t >= nextMagS else { return nil }
        nextMagS += 1 / model.magRateHz
        var field = attitude.inverseRotate(model.earthFieldNEDGauss)
            + otherNoise.gaussianVector(standardDeviation: model.magNoiseGauss)
        if let d = faults.magDisturbance, d.window.contains(t) { field += d.fieldFRDGauss }
        return MagSample(timestampUs: Self.microseconds(t), fieldFRDGauss: field)
    }

    mutating func airspeed(at t: Double, trueAirspeedMps: Double, heightM: Double) -> AirspeedSample? {
        guard !faults.airspeedAbsent, t >= nextAirspeedS else { return nil }
        nextAirspeedS += 1 / model.airspeedRateHz
        let p = Self.pressurePa(altitudeM: origin.altitudeM + heightM)
        let density = p / (287.052_87 * 288.15)
        let q = 0.5 * density * trueAirspeedMps * trueAirspeedMps + otherNoise.gaussian() * model.airspeedNoisePa
        return AirspeedSample(timestampUs: Self.microseconds(t), differentialPressurePa: q, temperatureC: 15)
    }

    /// ISA pressure at `altitudeM` (troposphere), the inverse of the filter's pressure altitude.
    static func pressurePa(altitudeM h: Double) -> Double {
        101_325 * Double.pow(1 - 0.0065 * h / 288.15, 9.806_65 / (287.052_87 * 0.0065))
    }
}
