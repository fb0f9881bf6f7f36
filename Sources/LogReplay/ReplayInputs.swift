import Estimation
import FlightLog
import FlightMath

/// One sensor sample from a log, in the order `FlightStack.runSensors` fed it to the filter.
public enum ReplaySample: Sendable, Hashable {
    case imu(IMUSample)
    case baro(BaroSample)
    case airspeed(AirspeedSample)
    case gps(GPSFix)
    case mag(MagSample)

    /// Within one poll the stack feeds the IMU, then the barometer, the pitot, the GPS and the magnetometer.
    var feedOrder: Int {
        switch self {
        case .imu: 0
        case .baro: 1
        case .airspeed: 2
        case .gps: 3
        case .mag: 4
        }
    }
}

/// The logged sensor samples, each with the poll time it was consumed at (the record's `timestamp`).
public struct ReplayInputs: Sendable {
    public var samples: [(pollUs: UInt64, sample: ReplaySample)] = []
    public var imuCount = 0, baroCount = 0, airspeedCount = 0, gpsCount = 0, magCount = 0
    /// IMU intervals that do not match the logged integral dt (samples missing from the log).
    public var imuGaps = 0
    /// False when the first IMU sample says an earlier one existed (the log started after the filter).
    public var startsWithFilter = true

    /// Reads `sensor_combined` (required), `vehicle_air_data`, `differential_pressure`, `vehicle_gps_position` and
    /// `sensor_mag`.
    public init(_ log: ULogParsedFile, path: String) throws(LogReplayError) {
        guard let imu = log.topic(SensorCombined.topicName), imu.sampleCount > 0 else {
            throw .missingTopic(path: path, topic: SensorCombined.topicName)
        }
        var tagged: [(pollUs: UInt64, order: Int, index: Int, sample: ReplaySample)] = []
        do {
            let c = try Columns(imu, path: path, ["gyro_rad[0]", "gyro_rad[1]", "gyro_rad[2]",
                                                  "accelerometer_m_s2[0]", "accelerometer_m_s2[1]",
                                                  "accelerometer_m_s2[2]", "gyro_integral_dt"])
            var previousUs: UInt64?
            for i in 0..<imu.sampleCount {
                let t = c.time(i)
                let dtUs = c.unsigned(i, 6)
                if let p = previousUs, t >= p, t - p != dtUs { imuGaps += 1 }
                if i == 0, dtUs != 0 { startsWithFilter = false }
                previousUs = t
                let s = IMUSample(timestampUs: t, accelFRDMps2: Vector3(c.get(i, 3), c.get(i, 4), c.get(i, 5)),
                                  gyroFRDRadps: Vector3(c.get(i, 0), c.get(i, 1), c.get(i, 2)), temperatureC: .nan)
                tagged.append((t, 0, i, .imu(s)))
            }
            imuCount = imu.sampleCount
        }
        if let baro = log.topic(VehicleAirData.topicName) {
            let c = try Columns(baro, path: path, ["timestamp_sample", "baro_pressure_pa", "baro_temp_celcius"])
            for i in 0..<baro.sampleCount {
                let s = BaroSample(timestampUs: c.unsigned(i, 0), pressurePa: c.get(i, 1), temperatureC: c.get(i, 2))
                tagged.append((c.time(i), 1, i, .baro(s)))
            }
            baroCount = baro.sampleCount
        }
        if let pitot = log.topic(DifferentialPressure.topicName) {
            let c = try Columns(pitot, path: path, ["timestamp_sample", "differential_pressure_pa", "temperature"])
            for i in 0..<pitot.sampleCount {
                let s = AirspeedSample(timestampUs: c.unsigned(i, 0), differentialPressurePa: c.get(i, 1),
                                       temperatureC: c.get(i, 2))
                tagged.append((c.time(i), 2, i, .airspeed(s)))
            }
            airspeedCount = pitot.sampleCount
        }
        if let gps = log.topic(VehicleGPSPosition.topicName) {
            let c = try Columns(gps, path: path, [
                "timestamp_sample", "fix_type", "latitude_deg", "longitude_deg", "altitude_ellipsoid_m",
                "vel_n_m_s", "vel_e_m_s", "vel_d_m_s", "eph", "epv", "s_variance_m_s", "satellites_used"])
            for i in 0..<gps.sampleCount {
                let fix = GPSFix(
                    timestampUs: c.unsigned(i, 0), fixType: GPSFixType(rawValue: UInt8(clamping: c.unsigned(i, 1))) ?? .none,
                    position: Geodetic(latitudeDeg: c.get(i, 2), longitudeDeg: c.get(i, 3), altitudeM: c.get(i, 4)),
                    velocityNEDMps: Vector3(c.get(i, 5), c.get(i, 6), c.get(i, 7)),
                    horizontalAccuracyM: c.get(i, 8), verticalAccuracyM: c.get(i, 9), speedAccuracyMps: c.get(i, 10),
                    satellitesUsed: Int(clamping: c.unsigned(i, 11)))
                tagged.append((c.time(i), 3, i, .gps(fix)))
            }
            gpsCount = gps.sampleCount
        }
        if let mag = log.topic(SensorMag.topicName) {
            let c = try Columns(mag, path: path, ["timestamp_sample", "x", "y", "z"])
            for i in 0..<mag.sampleCount {
                let s = MagSample(timestampUs: c.unsigned(i, 0), fieldFRDGauss: Vector3(c.get(i, 1), c.get(i, 2),
                                                                                       c.get(i, 3)))
                tagged.append((c.time(i), 4, i, .mag(s)))
            }
            magCount = mag.sampleCount
        }
        // Stable order: poll time, then the stack's feed order, then the order within the topic.
        tagged.sort { a, b in
            a.pollUs != b.pollUs ? a.pollUs < b.pollUs : a.order != b.order ? a.order < b.order : a.index < b.index
        }
        samples = tagged.map { ($0.pollUs, $0.sample) }
    }
}

/// Named columns of one topic, resolved once.
struct Columns {
    let topic: ULogTopicData
    let indices: [Int]

    init(_ topic: ULogTopicData, path: String, _ names: [String]) throws(LogReplayError) {
        var found: [Int] = []
        for n in names {
            guard let i = topic.columnIndex(n) else {
                throw .missingField(path: path, topic: topic.name, field: n)
            }
            found.append(i)
        }
        guard topic.timestampColumn != nil else {
            throw .missingField(path: path, topic: topic.name, field: "timestamp")
        }
        self.topic = topic
        indices = found
    }

    /// Value of the k-th named column in sample i (the reader checked sizes; out of range reads give NaN).
    func get(_ i: Int, _ k: Int) -> Double {
        guard k < indices.count else { return .nan }
        return topic.value(sample: i, column: indices[k])?.doubleValue ?? .nan
    }

    /// An integer column; negative or non-integer values give 0.
    func unsigned(_ i: Int, _ k: Int) -> UInt64 {
        guard k < indices.count else { return 0 }
        switch topic.value(sample: i, column: indices[k]) {
        case .uint(let v)?: return v
        case .int(let v)?: return UInt64(clamping: v)
        case .bool(let v)?: return v ? 1 : 0
        default: return 0
        }
    }

    func time(_ i: Int) -> UInt64 { topic.timestampUs(sample: i) ?? 0 }
}
