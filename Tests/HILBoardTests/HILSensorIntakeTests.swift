import FlightMath
import MAVLink
import Testing
@testable import HILBoard

/// A HIL_SENSOR as a simulator sends it for a level vehicle at rest: IMU, baro, airspeed and temperature updated.
func restingSensor(timeUs: UInt64, flags: UInt32 = 0x1E3F) -> HilSensor {
    HilSensor(timeUsec: timeUs, xacc: 0.1, yacc: -0.2, zacc: -9.8, xgyro: 0.01, ygyro: 0, zgyro: -0.02,
              absPressure: 954.6, diffPressure: 1.5, temperature: 21, fieldsUpdated: HilSensorUpdatedFlags(rawValue: flags))
}

func gpsFix(timeUs: UInt64, lat: Int32 = 473_977_420) -> HilGPS {
    HilGPS(timeUsec: timeUs, fixType: 3, lat: lat, lon: 85_455_940, alt: 488_000, eph: 120, epv: 180, vel: 1500, vn: 1500,
           ve: -20, vd: 10, cog: 0, satellitesVisible: 12)
}

@Suite struct HILSensorIntakeTests {
    @Test func acceptsAFrameInTheChipsUnits() throws {
        var intake = HILSensorIntake()
        let frame = try intake.accept(restingSensor(timeUs: 1_000), receivedAtUs: 5_000).get()
        #expect(frame.simTimeUs == 1_000)
        #expect(abs(frame.accelFRDMps2.z + 9.8) < 1e-5)
        #expect(abs(frame.gyroFRDRadps.z + 0.02) < 1e-7)
        #expect(abs((frame.staticPressurePa ?? 0) - 95_460) < 0.01)
        #expect(abs((frame.differentialPressurePa ?? 0) - 150) < 0.001)
        #expect(frame.temperatureC == 21)
        #expect(intake.counters.sensorAccepted == 1)
        #expect(intake.counters.refused == 0)
    }

    @Test func leavesOutTheSensorsAFrameDidNotUpdate() throws {
        var intake = HILSensorIntake()
        let frame = try intake.accept(restingSensor(timeUs: 1_000, flags: 0x3F), receivedAtUs: 0).get()
        #expect(frame.staticPressurePa == nil)
        #expect(frame.differentialPressurePa == nil)
    }

    @Test func refusesNaNAndInfinityWithACounter() {
        var intake = HILSensorIntake()
        var nan = restingSensor(timeUs: 1_000)
        nan.yacc = .nan
        let v1 = intake.accept(nan, receivedAtUs: 0) == .failure(.nonFinite(.accel))
        #expect(v1)
        var inf = restingSensor(timeUs: 2_000)
        inf.zgyro = -.infinity
        let v2 = intake.accept(inf, receivedAtUs: 0) == .failure(.nonFinite(.gyro))
        #expect(v2)
        var pressure = restingSensor(timeUs: 3_000)
        pressure.absPressure = .nan
        let v3 = intake.accept(pressure, receivedAtUs: 0) == .failure(.nonFinite(.absPressure))
        #expect(v3)
        #expect(intake.counters.refusedNonFinite == 3)
        #expect(intake.counters.sensorAccepted == 0)
    }

    @Test func refusesValuesNoChipCouldReport() {
        var intake = HILSensorIntake()
        var accel = restingSensor(timeUs: 1_000)
        accel.xacc = 400
        let v4 = intake.accept(accel, receivedAtUs: 0) == .failure(.outOfRange(.accel))
        #expect(v4)
        var gyro = restingSensor(timeUs: 2_000)
        gyro.ygyro = 50
        let v5 = intake.accept(gyro, receivedAtUs: 0) == .failure(.outOfRange(.gyro))
        #expect(v5)
        var baro = restingSensor(timeUs: 3_000)
        baro.absPressure = 95_460  // Pa where hPa belong
        let v6 = intake.accept(baro, receivedAtUs: 0) == .failure(.outOfRange(.absPressure))
        #expect(v6)
        var temperature = restingSensor(timeUs: 4_000)
        temperature.temperature = 200
        let v7 = intake.accept(temperature, receivedAtUs: 0) == .failure(.outOfRange(.temperature))
        #expect(v7)
        let v8 = intake.accept(gpsFix(timeUs: 1, lat: 950_000_000), receivedAtUs: 0) == .failure(.outOfRange(.lat))
        #expect(v8)
        #expect(intake.counters.refusedOutOfRange == 5)
    }

    @Test func refusesTimeThatDoesNotMoveForwardUnlessTheSimulatorReset() {
        var intake = HILSensorIntake()
        let v9 = (try? intake.accept(restingSensor(timeUs: 10_000), receivedAtUs: 0).get()) != nil
        #expect(v9)
        let v10 = intake.accept(restingSensor(timeUs: 10_000), receivedAtUs: 1)
                == .failure(.nonMonotonicTime(lastUs: 10_000, gotUs: 10_000))
        #expect(v10)
        let v11 = intake.accept(restingSensor(timeUs: 7_500), receivedAtUs: 2)
                == .failure(.nonMonotonicTime(lastUs: 10_000, gotUs: 7_500))
        #expect(v11)
        #expect(intake.counters.refusedNonMonotonic == 2)
        // fields_updated bit 31: a restarted simulator starts its time again.
        let v12 = (try? intake.accept(restingSensor(timeUs: 100, flags: 0x8000_1E3F), receivedAtUs: 3).get()) != nil
        #expect(v12)
        #expect(intake.counters.resets == 1)
        // GPS time is checked on its own.
        let v13 = (try? intake.accept(gpsFix(timeUs: 5), receivedAtUs: 0).get()) != nil
        #expect(v13)
        let v14 = intake.accept(gpsFix(timeUs: 5), receivedAtUs: 0) == .failure(.nonMonotonicTime(lastUs: 5, gotUs: 5))
        #expect(v14)
    }

    @Test func refusesSensorFramesWithoutTheIMUBits() {
        var intake = HILSensorIntake()
        // Baro only (bit 9), and an IMU frame missing the z gyro (bit 5).
        let v15 = intake.accept(restingSensor(timeUs: 1_000, flags: 0x200), receivedAtUs: 0)
                == .failure(.missingFields(missingMask: 0x3F))
        #expect(v15)
        let v16 = intake.accept(restingSensor(timeUs: 2_000, flags: 0x1E1F), receivedAtUs: 0)
                == .failure(.missingFields(missingMask: 0x20))
        #expect(v16)
        #expect(intake.counters.refusedMissingFields == 2)
    }

    @Test func aGapLongerThanTheTimeoutIsCountedOnce() {
        var intake = HILSensorIntake()
        let v17 = !intake.sensorsLive(atUs: 0)
        #expect(v17)  // nothing yet
        var t: UInt64 = 1_000_000
        for n in 0..<40 {
            _ = intake.accept(restingSensor(timeUs: UInt64(n + 1) * 2_500), receivedAtUs: t)
            t += 2_500
        }
        let v18 = intake.sensorsLive(atUs: t)
        #expect(v18)
        let v19 = intake.sensorsLive(atUs: t - 2_500 + HILSensorIntake.sensorTimeoutUs)
        #expect(v19)
        let silentUntil = t + 200_000
        let v20 = !intake.sensorsLive(atUs: silentUntil)
        #expect(v20)
        let v21 = !intake.sensorsLive(atUs: silentUntil + 1_000)
        #expect(v21)
        #expect(intake.counters.sensorGaps == 1)
        _ = intake.accept(restingSensor(timeUs: 1_000_000), receivedAtUs: silentUntil + 2_000)
        let v22 = intake.sensorsLive(atUs: silentUntil + 2_000)
        #expect(v22)
        #expect(intake.counters.sensorGaps == 1)
        #expect(intake.counters.maxSensorIntervalUs == 2_500 + 200_000 + 2_000)  // last frame at t − 2.5 ms
    }

    @Test func aGapSeenOnlyWhenTheNextFrameArrivesIsCountedToo() {
        var intake = HILSensorIntake()
        _ = intake.accept(restingSensor(timeUs: 1), receivedAtUs: 0)
        _ = intake.accept(restingSensor(timeUs: 2), receivedAtUs: 80_000)
        #expect(intake.counters.sensorGaps == 1)
    }

    @Test func convertsGPSUnits() throws {
        var intake = HILSensorIntake()
        let g = try intake.accept(gpsFix(timeUs: 1), receivedAtUs: 0).get()
        #expect(g.fixType == .fix3D)
        #expect(abs(g.position.latitudeDeg - 47.397742) < 1e-7)
        #expect(abs(g.position.altitudeM - 488) < 1e-9)
        #expect(abs(g.velocityNEDMps.x - 15) < 1e-9)
        #expect(abs(g.horizontalAccuracyM - 1.2) < 1e-9)
        #expect(g.satellitesUsed == 12)
        let v23 = intake.gpsLive(atUs: HILSensorIntake.gpsTimeoutUs)
        #expect(v23)
        let v24 = !intake.gpsLive(atUs: HILSensorIntake.gpsTimeoutUs + 1)
        #expect(v24)
        #expect(intake.counters.gpsGaps == 1)
    }

    @Test func framesArrivingLaterThanTheQuickestAreCounted() {
        var intake = HILSensorIntake()
        // Transit 1 ms, then 0.5 ms (the quickest), then 30 ms: late by 29.5 ms less the baseline's forgetting
        // (500 ppm of the 36.5 ms since the quickest: 17 µs).
        _ = intake.accept(restingSensor(timeUs: 10_000), receivedAtUs: 1_011_000)
        _ = intake.accept(restingSensor(timeUs: 12_500), receivedAtUs: 1_013_000)
        _ = intake.accept(restingSensor(timeUs: 15_000), receivedAtUs: 1_015_510)
        #expect(intake.counters.lateSensorFrames == 0)
        let late = intake.accept(restingSensor(timeUs: 17_500), receivedAtUs: 1_047_500)
        #expect((try? late.get()) != nil)  // late, not stale: still fed
        #expect(intake.counters.lateSensorFrames == 1)
        #expect(intake.counters.maxSensorLatenessUs == 29_482)
    }

    /// 400 Hz frames whose simulator runs at `simPerWall` of the wall clock from board time `startUs`.
    static func feed(_ intake: inout HILSensorIntake, frames: Int, fromUs startUs: UInt64, simStartUs: UInt64,
                     simPerWall: Double) -> [Result<HILSensorFrame, HILRefusal>] {
        (0..<frames).map { n in
            let wall = UInt64(n) * 2_500
            return intake.accept(restingSensor(timeUs: simStartUs + UInt64((Double(wall) * simPerWall).rounded())),
                                 receivedAtUs: startUs + wall)
        }
    }

    /// A simulator that runs slower than the wall clock (here 0.9×) sends frames ever later: past the IMU timeout
    /// they are refused as stale, the sensors stop being live, and they stay dead for as long as it lags, as if it
    /// had stopped: the flight stack's IMU timeout and the estimator failsafe follow (README, HIL rig).
    @Test func aSimulatorFallingBehindTheWallClockIsRefusedAsStale() {
        var intake = HILSensorIntake()
        let results = Self.feed(&intake, frames: 4_000, fromUs: 1_000_000, simStartUs: 1, simPerWall: 0.9)
        // 0.1 s later per s, less the 500 ppm the baseline forgets: past 50 ms after about 0.6 s.
        let isStale = { (r: Result<HILSensorFrame, HILRefusal>) in if case .failure(.stale) = r { true } else { false } }
        let firstStale = results.firstIndex(where: isStale) ?? results.count
        #expect(firstStale > 200 && firstStale < 260)
        #expect(results[firstStale...].allSatisfy(isStale))
        #expect(intake.counters.refusedStale == UInt64(results.count - firstStale))
        #expect(intake.counters.refused == intake.counters.refusedStale)
        let lastFrameUs: UInt64 = 1_000_000 + 3_999 * 2_500
        let live = intake.sensorsLive(atUs: lastFrameUs)
        #expect(!live)
        #expect(intake.counters.sensorGaps == 1)
    }

    /// Two free-running clocks 100 ppm apart, for 20 minutes at 400 Hz: no frame is ever late.
    @Test func clockDriftIsNotLateness() {
        var intake = HILSensorIntake()
        let results = Self.feed(&intake, frames: 480_000, fromUs: 5_000_000, simStartUs: 1, simPerWall: 1 - 100e-6)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(intake.counters.lateSensorFrames == 0)
        #expect(intake.counters.maxSensorLatenessUs < 1_000)
    }

    /// A simulator that froze for 2 s and resumed where it stopped (its time base 2 s behind the board's now) is a
    /// gap, not two seconds of lateness: its frames are fed again at once.
    @Test func aPausedSimulatorResumesOnANewTimeBase() {
        var intake = HILSensorIntake()
        _ = Self.feed(&intake, frames: 400, fromUs: 1_000_000, simStartUs: 1, simPerWall: 1)
        let resumed = Self.feed(&intake, frames: 400, fromUs: 1_000_000 + 400 * 2_500 + 2_000_000,
                                simStartUs: 1 + 400 * 2_500, simPerWall: 1)
        #expect(resumed.allSatisfy { (try? $0.get()) != nil })
        #expect(intake.counters.sensorGaps == 1)
        #expect(intake.counters.lateSensorFrames == 0)
    }

    /// A burst after the link thread stalled (frames queued, all read at once): the first is taken as the new
    /// baseline after the gap and the rest are quicker, so the backlog is fed, as a real IMU's FIFO backlog would be.
    @Test func aBacklogReadAfterAStallIsFedNotRefused() {
        var intake = HILSensorIntake()
        _ = Self.feed(&intake, frames: 100, fromUs: 1_000_000, simStartUs: 1, simPerWall: 1)
        let readUs: UInt64 = 1_000_000 + 99 * 2_500 + 200_000
        let backlog = (1...80).map { n in
            intake.accept(restingSensor(timeUs: 1 + UInt64(99 + n) * 2_500), receivedAtUs: readUs)
        }
        #expect(backlog.allSatisfy { (try? $0.get()) != nil })
        #expect(intake.counters.refusedStale == 0)
    }
}
