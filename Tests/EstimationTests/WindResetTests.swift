import FlightMath
import Testing
@testable import Estimation

/// The wind reset from airspeed and heading: the pitot alone allows a wind anywhere on a circle around the ground
/// velocity, and a filter confident in the wrong point of it refused every airspeed sample and held that wind (seed
/// 25 of the 10 m/s wind set: 20 m/s estimated against 10 m/s from the other side, and the vehicle circled out of
/// the geofence). Refused for `wind_reset_rejected_s`, the airspeed resets the wind along the nose.
@Suite struct WindResetTests {
    /// Ground velocity (20, 5) m/s, true wind (3, 9): the air flows at 17.46 m/s along heading −0.231 rad.
    static let velocity = Vector3(20, 5, 0)
    static let trueWind = (north: 3.0, east: 9.0)
    static var trueAirspeedMps: Double { (Vector3(17, -4, 0)).norm }

    /// A filter flying along the air velocity's heading but holding a wrong wind with small variances.
    static func confidentlyWrong() -> NavigationFilter {
        var f = NavigationFilter(config: NavigationFilterConfig())
        f.filterState.attitude = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: 0, yawRad: Double.atan2(y: -4, x: 17)))
        f.filterState.velocityNEDMps = velocity
        f.filterState.windNorthMps = -8
        f.filterState.windEastMps = -12
        f.covariance.resetBlock(base: ErrorState.attitude, count: 3, variance: 1e-4)
        f.covariance.resetBlock(base: ErrorState.velocity, count: 3, variance: 0.01)
        f.covariance.resetBlock(base: ErrorState.wind, count: 2, variance: 0.01)
        return f
    }

    static func sample(atUs us: UInt64) -> AirspeedSample {
        let density = PitotStatic.densityKgpm3(pressurePa: Atmosphere.seaLevelPressurePa, temperatureC: 15)
        return AirspeedSample(timestampUs: us, differentialPressurePa: 0.5 * density * trueAirspeedMps * trueAirspeedMps,
                              temperatureC: 15)
    }

    @Test func airspeedRefusedForTwoSecondsResetsTheWindAlongTheNose() {
        var f = Self.confidentlyWrong()
        var us: UInt64 = 10_000_000
        var resetAtUs: UInt64?
        for _ in 0..<150 {  // 3 s at 50 Hz
            us += 20_000
            if f.fuseAirspeedNow(Self.sample(atUs: us)), resetAtUs == nil { resetAtUs = us }
        }
        #expect(f.counters.windResetCount == 1)
        // Refused from the first sample at 10.02 s; reset on the first one 2 s later.
        #expect(resetAtUs == 12_020_000)
        #expect(abs(f.filterState.windNorthMps - Self.trueWind.north) < 0.05)
        #expect(abs(f.filterState.windEastMps - Self.trueWind.east) < 0.05)
        // The samples after the reset are fused again (none refused long enough for a second reset).
        #expect(f.airspeedRejectedSinceUs == nil)
    }

    @Test func aShortRefusalResetsNothing() {
        var f = Self.confidentlyWrong()
        var us: UInt64 = 10_000_000
        for _ in 0..<90 {  // 1.8 s
            us += 20_000
            _ = f.fuseAirspeedNow(Self.sample(atUs: us))
        }
        #expect(f.counters.windResetCount == 0)
        #expect(f.filterState.windNorthMps == -8 && f.filterState.windEastMps == -12)
    }
}
