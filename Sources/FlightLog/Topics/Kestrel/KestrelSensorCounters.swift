/// `kestrel_sensor_counters`: the sensor reads since start, once a second: failed reads per sensor (an I2C NACK or
/// timeout, a GPS stream that stopped parsing), the GPS fixes parsed, what the IMU FIFO reads took, found empty,
/// overflowed and dropped, barometer polls that found no new conversion, and sensor polls the log missed. Counts,
/// so a reader differences two records for a rate; a rig engineer sees a loose wire as a failure count that climbs.
public struct KestrelSensorCounters: ULogTopic, Hashable {
    public static let topicName = "kestrel_sensor_counters"

    public var timestampUs: UInt64 = 0
    public var imuFailures: UInt64 = 0
    public var baroFailures: UInt64 = 0
    public var airspeedFailures: UInt64 = 0
    public var gpsFailures: UInt64 = 0
    public var gpsFixes: UInt64 = 0
    public var imuSamplesRead: UInt64 = 0
    public var imuEmptyPolls: UInt64 = 0
    public var imuFIFOOverflows: UInt64 = 0
    public var imuSamplesDropped: UInt64 = 0
    public var baroRepeats: UInt64 = 0
    /// Sensor polls that happened between two log samples and so are not in the log.
    public var logPollsMissed: UInt64 = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("imu_failures", imuFailures)
        v.scalar("baro_failures", baroFailures)
        v.scalar("airspeed_failures", airspeedFailures)
        v.scalar("gps_failures", gpsFailures)
        v.scalar("gps_fixes", gpsFixes)
        v.scalar("imu_samples_read", imuSamplesRead)
        v.scalar("imu_empty_polls", imuEmptyPolls)
        v.scalar("imu_fifo_overflows", imuFIFOOverflows)
        v.scalar("imu_samples_dropped", imuSamplesDropped)
        v.scalar("baro_repeats", baroRepeats)
        v.scalar("log_polls_missed", logPollsMissed)
    }
}
