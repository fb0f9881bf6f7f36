@testable import FlightRuntime
import FlightLog
import Foundation
import MAVLink
import Testing
import Vehicle
import Estimation

/// The sensor read counters reach the operator and the log: SYS_STATUS errors_count1…4 (IMU, barometer, airspeed,
/// GPS read failures) and the 1 Hz `kestrel_sensor_counters` topic. Before, they were only in `kestrel fly`'s exit
/// report, so a rig engineer saw a loose I2C wire only after the flight.
@Suite struct SensorCountersReportTests {
    private func output(atUs t: UInt64, imuFailures: UInt64, baroFailures: UInt64, gpsFixes: UInt64) -> TickOutput {
        var o = TickOutput()
        o.timeUs = t
        o.sensorCounters.imuFailures = imuFailures
        o.sensorCounters.baroFailures = baroFailures
        o.sensorCounters.airspeedFailures = 0
        o.sensorCounters.gpsFailures = 7
        o.sensorCounters.gpsFixes = gpsFixes
        o.sensorCounters.imuSamplesRead = t / 1_250
        return o
    }

    @Test func sysStatusCarriesTheReadFailuresSaturating() {
        let status = TelemetryMessages.sysStatus(
            VehicleSnapshot(output(atUs: 1_000_000, imuFailures: 3, baroFailures: 70_000, gpsFixes: 5)))
        #expect(status.errorsCount1 == 3)
        #expect(status.errorsCount2 == 65_535)
        #expect(status.errorsCount3 == 0)
        #expect(status.errorsCount4 == 7)
    }

    @Test func theLogHoldsTheCountersOnceASecond() throws {
        let dir = NSTemporaryDirectory() + "kestrel-counters-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let startUs: UInt64 = 5_000_000
        let logger = try FlightLogger(
            setup: FlightLoggerSetup(directory: dir, softwareVersion: "test", vehicleId: "1", board: "sitl",
                                     airframe: "a", startUnixSeconds: 1_700_000_000),
            startUs: startUs)
        // 3.5 s of 400 Hz ticks; a read failure every second tick from 1 s on, a GPS fix every 200 ms.
        for tick in 0..<1_400 as Range<UInt64> {
            let t = startUs + tick * 2_500
            logger.record(output(atUs: t, imuFailures: tick >= 400 ? (tick - 400) / 2 : 0, baroFailures: 0,
                                 gpsFixes: tick / 80))
        }
        logger.finish()
        #expect(logger.failure == nil)
        let log = try ULogReader.parse(try readFlightLogFile(path: logger.path))
        let topic = try #require(log.topic("kestrel_sensor_counters"))
        #expect(topic.sampleCount == 4)  // at 0, 1, 2 and 3 s
        for sample in 0..<topic.sampleCount {
            let t = try #require(topic.timestampUs(sample: sample))
            #expect(t == startUs + UInt64(sample) * 1_000_000)
            let tick = (t - startUs) / 2_500
            #expect(topic.value(sample: sample, "imu_failures") == .uint(tick >= 400 ? (tick - 400) / 2 : 0))
            #expect(topic.value(sample: sample, "gps_failures") == .uint(7))
            #expect(topic.value(sample: sample, "gps_fixes") == .uint(tick / 80))
            #expect(topic.value(sample: sample, "log_polls_missed") == .uint(0))
        }
    }
}

/// SYS_STATUS says which sensors the board has and which work. Before, both sets were empty: a ground station saw a
/// vehicle without sensors, healthy or not.
@Suite struct SensorPresenceReportTests {
    @Test func bitsFollowTheFittedAndWorkingSensors() {
        var o = TickOutput()
        o.sensorsFitted = [.imu, .barometer, .airspeed, .gps]
        o.sensorsWorking = [.imu, .gps]
        var health = NavigationHealth()
        health.attitudeValid = true
        o.health = health
        let status = TelemetryMessages.sysStatus(VehicleSnapshot(o))
        let present: MAVSysStatusSensor = [.sensor3dGyro, .sensor3dAccel, .absolutePressure, .differentialPressure,
                                           .gps, .mavSysStatusAhrs, .motorOutputs]
        #expect(status.onboardControlSensorsPresent == present)
        #expect(status.onboardControlSensorsEnabled == present)
        #expect(status.onboardControlSensorsHealth
                == [.sensor3dGyro, .sensor3dAccel, .gps, .mavSysStatusAhrs, .motorOutputs])
        o.health = nil
        // Outside the expectation: Swift Testing reflects the values inside one, and reflecting a TickOutput (its
        // InlineArray storage) crashed the test process with a garbage FlightMode.
        let withoutVerdict = TelemetryMessages.sysStatus(VehicleSnapshot(o)).onboardControlSensorsHealth
        #expect(withoutVerdict == [.sensor3dGyro, .sensor3dAccel, .gps, .motorOutputs])
        // The servo outputs: unhealthy in a tick whose write did not reach the output device.
        o.outputsWritten = false
        let outputsFailed = TelemetryMessages.sysStatus(VehicleSnapshot(o)).onboardControlSensorsHealth
        #expect(outputsFailed == [.sensor3dGyro, .sensor3dAccel, .gps])
    }

    @Test func workingFollowsTheIMUsAgeAndTheFiltersVerdict() {
        let all: SensorSuite = [.imu, .barometer, .airspeed, .gps, .magnetometer]
        var health = NavigationHealth()
        health.baro.condition = .degraded
        health.gps.condition = .failed
        health.airspeed.condition = .healthy
        health.mag.condition = .healthy
        let now: UInt64 = 10_000_000
        #expect(SensorSuite.working(fitted: all, lastIMUSampleUs: now - SensorSuite.imuTimeoutUs, health: health,
                                    nowUs: now) == [.imu, .barometer, .airspeed, .magnetometer])
        #expect(SensorSuite.working(fitted: all, lastIMUSampleUs: now - SensorSuite.imuTimeoutUs - 1, health: health,
                                    nowUs: now) == [.barometer, .airspeed, .magnetometer])
        #expect(SensorSuite.working(fitted: all, lastIMUSampleUs: nil, health: nil, nowUs: now) == [])
        // Only fitted sensors can work.
        #expect(SensorSuite.working(fitted: [.imu], lastIMUSampleUs: now, health: health, nowUs: now) == [.imu])
    }
}
