import ConfigFiles
import Estimation
import FlightMath
import Testing

/// Configuration decoding, sample admission and the start-up sequence.
@Suite struct InterfaceTests {
    @Test func emptyConfigFileGivesTheDefaults() throws {
        let c = try ConfigFile.decode(NavigationFilterConfig.self, fromTOML: "", source: "nav.toml")
        #expect(c == NavigationFilterConfig())
    }

    @Test func configKeysAreSnakeCaseWithUnits() throws {
        let text = """
            gyro_noise_density_radps_per_rthz = 0.004
            fusion_horizon_s = 0.3
            mag_declination_rad = 0.05
            use_airspeed = false
            gps_min_satellites = 8
            baro_noise_m = 1
            """
        let c = try ConfigFile.decode(NavigationFilterConfig.self, fromTOML: text, source: "nav.toml")
        #expect(c.gyroNoiseDensityRadpsPerRtHz == 0.004)
        #expect(c.fusionHorizonS == 0.3)
        #expect(c.magDeclinationRad == 0.05)
        #expect(c.useAirspeed == false)
        #expect(c.gpsMinSatellites == 8)
        #expect(c.baroNoiseM == 1)
        #expect(c.accelNoiseDensityMps2PerRtHz == NavigationFilterConfig().accelNoiseDensityMps2PerRtHz)
    }

    @Test func outOfRangeValueIsRejectedNamingTheKey() {
        do {
            _ = try ConfigFile.decode(NavigationFilterConfig.self, fromTOML: "fusion_horizon_s = 2.0\n",
                                      source: "nav.toml")
            Issue.record("accepted a horizon the IMU buffer cannot hold")
        } catch {
            guard case .invalidValue(let keyPath, let reason) = error.problem else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(keyPath == "fusion_horizon_s")
            #expect(reason.contains("2.0"))
        }
    }

    @Test func misspeltKeyIsRejected() {
        #expect(throws: ConfigFileError(file: "nav.toml", problem: .unknownKey(keyPath: "baro_noise"))) {
            _ = try ConfigFile.decode(NavigationFilterConfig.self, fromTOML: "baro_noise = 1.0\n", source: "nav.toml")
        }
    }

    static func restingIMU(_ us: UInt64) -> IMUSample {
        IMUSample(timestampUs: us, accelFRDMps2: Vector3(0, 0, -WGS84.standardGravityMps2), gyroFRDRadps: .zero,
                  temperatureC: 20)
    }

    @Test func startUpGoesFromAligningToAwaitingPositionToNavigating() {
        var f = NavigationFilter()
        let origin = Geodetic(latitudeDeg: -35.36, longitudeDeg: 149.16, altitudeM: 584)
        var us: UInt64 = 1_000_000
        f.predict(imu: Self.restingIMU(us))
        #expect(f.state.phase == .aligning)
        #expect(!f.health.attitudeValid)
        for _ in 0..<400 {
            us += 2500
            f.predict(imu: Self.restingIMU(us))
            if us % 20_000 == 0 { f.fuse(mag: MagSample(timestampUs: us, fieldFRDGauss: Vector3(0.2, 0, 0.4))) }
        }
        #expect(f.state.phase == .aligning)      // 1 s of the 2 s alignment
        for _ in 0..<440 {
            us += 2500
            f.predict(imu: Self.restingIMU(us))
            if us % 20_000 == 0 { f.fuse(mag: MagSample(timestampUs: us, fieldFRDGauss: Vector3(0.2, 0, 0.4))) }
        }
        #expect(f.state.phase == .awaitingPosition)
        #expect(f.health.attitudeValid)
        #expect(!f.health.positionValid)
        #expect(f.state.geodetic == nil)
        let fix = GPSFix(timestampUs: us - 100_000, fixType: .fix3D, position: origin, velocityNEDMps: .zero,
                         horizontalAccuracyM: 1.0, verticalAccuracyM: 1.5, speedAccuracyMps: 0.1, satellitesUsed: 14)
        #expect(f.fuse(gps: fix) == .accepted)
        for _ in 0..<200 {
            us += 2500
            f.predict(imu: Self.restingIMU(us))
        }
        let s = f.state
        #expect(s.phase == .navigating)
        #expect(s.origin == origin)
        guard let g = s.geodetic else {
            Issue.record("no geodetic position")
            return
        }
        #expect(abs(g.latitudeDeg - origin.latitudeDeg) < 1e-6)
        #expect(abs(g.altitudeM - origin.altitudeM) < 0.5)
        #expect(f.health.positionValid)
        #expect(abs(s.euler.rollRad) < 1e-3 && abs(s.euler.pitchRad) < 1e-3 && abs(s.euler.yawRad) < 1e-3)
    }

    @Test func badTimestampsAreRefused() {
        var f = NavigationFilter()
        #expect(f.fuse(baro: BaroSample(timestampUs: 5, pressurePa: 95_000, temperatureC: 20))
            == .rejected(.notInitialised))
        f.predict(imu: Self.restingIMU(1_000_000))
        f.predict(imu: Self.restingIMU(1_002_500))
        #expect(f.predict(imu: Self.restingIMU(1_002_500)) == .rejected(.timestampNotIncreasing))
        #expect(f.predict(imu: Self.restingIMU(1_000_000)) == .rejected(.timestampNotIncreasing))
        #expect(f.fuse(baro: BaroSample(timestampUs: 9_000_000, pressurePa: 95_000, temperatureC: 20))
            == .rejected(.timestampInFuture))
        #expect(f.health.imuRejectedCount == 2)
    }

    @Test func measurementOlderThanTheHorizonIsRefused() {
        var f = NavigationFilter()
        var us: UInt64 = 1_000_000
        for _ in 0..<1200 {
            us += 2500
            f.predict(imu: Self.restingIMU(us))
        }
        #expect(f.state.phase == .awaitingPosition)
        // The horizon is 0.25 s: a sample 0.5 s old can no longer be fused at its own time.
        #expect(f.fuse(baro: BaroSample(timestampUs: us - 500_000, pressurePa: 95_000, temperatureC: 20))
            == .rejected(.tooOld))
        #expect(f.fuse(baro: BaroSample(timestampUs: us - 100_000, pressurePa: 95_000, temperatureC: 20))
            == .accepted)
    }

    @Test func poorGPSSolutionIsNotUsedAndMarksTheGPSFailed() {
        var f = NavigationFilter()
        var us: UInt64 = 1_000_000
        let origin = Geodetic(latitudeDeg: 10, longitudeDeg: 20, altitudeM: 30)
        for k in 0..<2000 {
            us += 2500
            f.predict(imu: Self.restingIMU(us))
            if k % 80 == 0 {
                f.fuse(gps: GPSFix(timestampUs: us - 150_000, fixType: .fix2D, position: origin,
                                   velocityNEDMps: .zero, horizontalAccuracyM: 1, verticalAccuracyM: 1,
                                   speedAccuracyMps: 0.1, satellitesUsed: 12))
            }
        }
        #expect(f.state.phase == .awaitingPosition)
        #expect(f.health.gps.condition == .failed)
        #expect(f.health.gps.invalidCount == 25)
    }
}
