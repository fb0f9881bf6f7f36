import DeviceIO
import Drivers
import FlightMath
import Simulation

/// The emulators standing in for a board's devices (SITL, `check-board --emulated`), all on one manual clock.
/// Whoever drives the simulation feeds them physical samples; the drivers read them through `DeviceIO`.
public final class EmulatedBoard {
    public let clock: ManualClock
    public private(set) var buses: [Int: EmulatedI2CBus] = [:]
    public let imu: MPU6050Emulator
    public let barometer: BMP280Emulator
    public let airspeed: MS4525DOEmulator?
    public let gps: EmulatedGPS
    public let safetySwitch: EmulatedSwitch
    /// The servo board, for `driver = "pca9685"`; the plant reads `pulseUs(channel:)` on the hardware channel.
    public let pca9685: PCA9685Emulator?
    /// The output bank itself, for `driver = "sysfs"`, indexed like the board's channel list.
    public let sysfsPWM: EmulatedPWMOutputs?

    /// - Parameter utcAtClockZeroUnixS: the GPS receiver's UTC when `clock` reads zero; nil for the emulator's
    ///   fixed default, which keeps fast-time runs deterministic. A run paced to the wall clock passes "now", so a
    ///   ground operator's tools agree with the vehicle on when a request expires.
    public init(board: BoardConfig, clock: ManualClock = ManualClock(), switchArmed: Bool = false,
                utcAtClockZeroUnixS: Int64? = nil) {
        self.clock = clock
        imu = MPU6050Emulator(config: .init(bodyToChip: Self.bodyToChip(board.imu.orientation)), clock: clock)
        barometer = BMP280Emulator(clock: clock)
        airspeed = board.airspeed.map {
            MS4525DOEmulator(config: .init(outputType: $0.outputType == .typeA ? .typeA : .typeB,
                                           rangePsi: $0.rangePsi, swapPorts: $0.swapPorts))
        }
        let output: EmulatedGPSConfig.Output
        switch board.gps.protocolKind {
        case .nmea: output = .nmea
        case .ubx: output = .ubx
        case .nmeaAndUBX: output = .nmeaAndUBX
        }
        var gpsConfig = EmulatedGPSConfig(output: output, rateHz: board.gps.rateHz, baudRate: board.gps.baudRate)
        if let utcAtClockZeroUnixS { gpsConfig.utcAtClockZeroUnixS = utcAtClockZeroUnixS }
        gps = EmulatedGPS(config: gpsConfig, clock: clock)
        safetySwitch = EmulatedSwitch(initiallyActive: switchArmed, config: board.safetySwitch.inputConfig,
                                      clock: clock)
        switch board.pwm.driver {
        case .pca9685:
            pca9685 = PCA9685Emulator(clock: clock)
            sysfsPWM = nil
        case .sysfs:
            pca9685 = nil
            sysfsPWM = EmulatedPWMOutputs(config: PWMBankConfig(frequencyHz: board.pwm.frequencyHz,
                                                                safePulseUs: board.pwm.channels.map(\.safeUs)))
        }
        attach(imu, bus: board.imu.i2cBus, address: board.imu.address)
        attach(barometer, bus: board.barometer.i2cBus, address: board.barometer.address)
        if let airspeed, let settings = board.airspeed {
            attach(airspeed, bus: settings.i2cBus, address: settings.address)
        }
        if let pca9685, case .pca9685(let bus, let address, _) = board.pwm.driver {
            attach(pca9685, bus: bus, address: address)
        }
    }

    private func attach(_ chip: any EmulatedI2CChip, bus number: Int, address: UInt8) {
        let bus = buses[number] ?? EmulatedI2CBus(busNumber: number)
        buses[number] = bus
        bus.attach(chip, at: address)
    }

    public func bus(_ number: Int) -> EmulatedI2CBus {
        if let bus = buses[number] { return bus }
        let bus = EmulatedI2CBus(busNumber: number)  // an empty bus: every address NACKs, as on hardware
        buses[number] = bus
        return bus
    }

    /// The rotation from body FRD into the chip's axes, the inverse of the driver's axis mapping.
    static func bodyToChip(_ mapping: AxisMapping) -> Matrix3 {
        // Row i of chip→body picks the chip axis that body axis i lies along, with its sign.
        func row(_ axis: SensorAxis) -> Vector3 {
            switch axis {
            case .plusX: return Vector3(1, 0, 0)
            case .minusX: return Vector3(-1, 0, 0)
            case .plusY: return Vector3(0, 1, 0)
            case .minusY: return Vector3(0, -1, 0)
            case .plusZ: return Vector3(0, 0, 1)
            case .minusZ: return Vector3(0, 0, -1)
            }
        }
        return Matrix3(rows: row(mapping.forward), row(mapping.right), row(mapping.down)).transposed
    }

    /// The pulse the servo on bank index `index` sees now.
    public func servoPulseUs(bankIndex index: Int, board: BoardConfig) -> Double? {
        guard index >= 0, index < board.pwm.channels.count else { return nil }
        if let pca9685 { return pca9685.pulseUs(channel: board.pwm.channels[index].channel) }
        return sysfsPWM?.pulseUs(channel: index)
    }
}

/// A vehicle at rest, level, on the ground, with sensor noise from a seeded `RandomSource`: what
/// `check-board --emulated` feeds the emulators so its report shows realistic rates and noise.
public struct StationaryTruth {
    public var home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488.0)
    public var pressurePa = 95_460.0  // ISA at 488 m
    public var temperatureC = 25.0
    /// 1-sigma noise of each output, close to the parts' datasheets at the drivers' settings.
    public var accelNoiseMps2 = 0.04
    public var gyroNoiseRadps = 0.0012
    public var pressureNoisePa = 1.3
    public var airspeedNoisePa = 1.0
    public var gpsHorizontalNoiseM = 0.4
    public var gpsVerticalNoiseM = 0.8

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
    public mutating func feedDue(_ board: EmulatedBoard, nowUs: UInt64) {
        if nowUs >= nextImuUs {
            let rate = max(board.imu.outputRateHz, 4)
            nextImuUs = nowUs + UInt64((1e6 / rate).rounded())
            let accel = Vector3(0, 0, -WGS84.standardGravityMps2) + imuRandom.gaussianVector(standardDeviation: accelNoiseMps2)
            let gyro = gyroBiasRadps + imuRandom.gaussianVector(standardDeviation: gyroNoiseRadps)
            board.imu.feed(IMUSample(timestampUs: nowUs, accelFRDMps2: accel, gyroFRDRadps: gyro,
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
