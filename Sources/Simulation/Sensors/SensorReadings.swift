import FlightMath

/// Which sensors produced a new sample in the last step.
public struct SensorUpdates: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let imu = SensorUpdates(rawValue: 1 << 0)
    public static let baro = SensorUpdates(rawValue: 1 << 1)
    public static let mag = SensorUpdates(rawValue: 1 << 2)
    public static let airspeed = SensorUpdates(rawValue: 1 << 3)
    public static let gps = SensorUpdates(rawValue: 1 << 4)
}

/// The latest sample of every simulated sensor (nil until the first one arrives).
public struct SensorReadings: Sendable {
    public var imu: IMUSample?
    public var baro: BaroSample?
    public var mag: MagSample?
    public var airspeed: AirspeedSample?
    public var gps: GPSFix?
    /// The rotor's tones at the last IMU sample; the emulated IMU filters them as its DLPF is set.
    public var imuVibration = IMUVibration.none

    public init() {}
}

/// All sensor models of one vehicle, sampled from the plant's truth after each step.
public struct SensorSuite: Sendable {
    public private(set) var imu: IMUSensorModel
    public private(set) var baro: BaroSensorModel
    public private(set) var mag: MagSensorModel
    public private(set) var airspeed: AirspeedSensorModel
    public private(set) var gps: GPSSensorModel
    public private(set) var readings = SensorReadings()

    public init(section: SensorsSection, frame: LocalFrame, gpsOutages: [GPSOutage], seed: UInt64) {
        imu = IMUSensorModel(section: section.imu, seed: seed)
        baro = BaroSensorModel(section: section.baro, seed: seed)
        mag = MagSensorModel(section: section.mag, seed: seed)
        airspeed = AirspeedSensorModel(section: section.airspeed, seed: seed)
        gps = GPSSensorModel(section: section.gps, frame: frame, outages: gpsOutages, seed: seed)
    }

    public mutating func sample(_ truth: SensorTruth) -> SensorUpdates {
        var updated: SensorUpdates = []
        if let s = imu.sample(truth) {
            readings.imu = s
            readings.imuVibration = imu.lastVibration
            updated.insert(.imu)
        }
        if let s = baro.sample(truth) { readings.baro = s; updated.insert(.baro) }
        if let s = mag.sample(truth) { readings.mag = s; updated.insert(.mag) }
        if let s = airspeed.sample(truth) { readings.airspeed = s; updated.insert(.airspeed) }
        if let s = gps.sample(truth) { readings.gps = s; updated.insert(.gps) }
        return updated
    }
}
