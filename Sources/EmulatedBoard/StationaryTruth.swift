import DeviceIO
import FlightMath
import Simulation

/// A vehicle at rest, level, on the ground, with sensor noise from a seeded `RandomSource`: what
/// `check-board --emulated` feeds the emulators so its report shows realistic rates and noise.
public struct StationaryTruth: EmulatedBench {
    public var home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488.0)
    public var pressurePa = 95_460.0  // ISA at 488 m
    public var temperatureC = 25.0
    /// 1-sigma noise of each conversion, close to the parts' datasheets at the drivers' settings; the IMU's figures
    /// are before its DLPF, which takes about 45 % of it at 98 Hz and 500 Hz (see `BoardCheckTests`).
    public var accelNoiseMps2 = 0.04
    public var gyroNoiseRadps = 0.0012
    public var pressureNoisePa = 1.3
    public var airspeedNoisePa = 1.0
    public var gpsHorizontalNoiseM = 0.4
    public var gpsVerticalNoiseM = 0.8
    /// A charged 4S pack at rest, drawing the board's and receiver's idle current.
    public var batteryVoltageV = 16.6
    public var batteryCurrentA = 0.4

    private var imuRandom: RandomSource
    private var baroRandom: RandomSource
    private var airspeedRandom: RandomSource
    private var gpsRandom: RandomSource
    private let gyroBiasRadps: Vector3
    private var nextImuUs: UInt64 = 0
    private var nextBaroUs: UInt64 = 0
    private var nextAirspeedUs: UInt64 = 0
    private var nextGPSUs: UInt64 = 0

    public init(seed: UInt64) {
        imuRandom = .stream(seed: seed, label: 1)
        baroRandom = .stream(seed: seed, label: 2)
        airspeedRandom = .stream(seed: seed, label: 3)
        gpsRandom = .stream(seed: seed, label: 4)
        var biasRandom = RandomSource.stream(seed: seed, label: 5)
        gyroBiasRadps = biasRandom.gaussianVector(standardDeviation: 0.005)
    }

    /// Feeds every emulator whose next conversion is due at `nowUs`, each at its own output rate.
    public mutating func feedDue(_ board: EmulatedHardware, nowUs: UInt64) {
        // Every conversion due since the last call, each at its own time: the FIFO sees the chip's real rate.
        let imuPeriodUs = UInt64((1e6 / max(board.imu.outputRateHz, 4)).rounded())
        if nextImuUs + 64 * imuPeriodUs < nowUs { nextImuUs = nowUs }  // a long gap: the chip only holds a FIFO
        while nowUs >= nextImuUs {
            let sampleUs = nextImuUs  // its own conversion time: the chip's DLPF runs at its output rate
            nextImuUs += imuPeriodUs
            let accel = Vector3(0, 0, -WGS84.standardGravityMps2) + imuRandom.gaussianVector(standardDeviation: accelNoiseMps2)
            let gyro = gyroBiasRadps + imuRandom.gaussianVector(standardDeviation: gyroNoiseRadps)
            board.imu.feed(IMUSample(timestampUs: sampleUs, accelFRDMps2: accel, gyroFRDRadps: gyro,
                                     temperatureC: temperatureC + 8))  // die runs warmer than the air
        }
        if nowUs >= nextBaroUs {
            nextBaroUs = nowUs + max(board.barometer.normalModePeriodUs, 5_000)
            board.barometer.feed(BaroSample(
                timestampUs: nowUs, pressurePa: pressurePa + baroRandom.gaussian() * pressureNoisePa,
                temperatureC: temperatureC + baroRandom.gaussian() * 0.005))
        }
        if let airspeed = board.airspeed, nowUs >= nextAirspeedUs {
            nextAirspeedUs = nowUs + 2_000  // the MS4525DO converts continuously, ~500 Hz
            airspeed.feed(AirspeedSample(timestampUs: nowUs,
                                         differentialPressurePa: airspeedRandom.gaussian() * airspeedNoisePa,
                                         temperatureC: temperatureC))
        }
        board.feedBattery(voltageV: batteryVoltageV, currentA: batteryCurrentA)
        if nowUs >= nextGPSUs {
            nextGPSUs = nowUs + 50_000
            let frame = LocalFrame(origin: home)
            let ned = Vector3(gpsRandom.gaussian() * gpsHorizontalNoiseM, gpsRandom.gaussian() * gpsHorizontalNoiseM,
                              gpsRandom.gaussian() * gpsVerticalNoiseM)
            board.gps.feed(GPSFix(
                timestampUs: nowUs, fixType: .fix3D, position: frame.geodetic(ofNED: ned),
                velocityNEDMps: gpsRandom.gaussianVector(standardDeviation: 0.05), horizontalAccuracyM: 1.2,
                verticalAccuracyM: 1.8, speedAccuracyMps: 0.2, satellitesUsed: 12))
        }
    }
}
