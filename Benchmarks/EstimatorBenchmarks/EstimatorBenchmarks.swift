import Benchmark
import Estimation
import FlightMath

/// Cost of the navigation filter's per-sample work on the real-time path. Each fusion benchmark enqueues one
/// sample stamped so that the very next IMU step fuses it; subtract the `predict` figure to get the fusion alone
/// (which includes re-propagating the output state through the IMU samples inside the fusion horizon).
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal],
                                                scalingFactor: .kilo, maxDuration: .seconds(2),
                                                maxIterations: 1_000_000)

    Benchmark("NavigationFilter.predict", configuration: configuration) { benchmark in
        var rig = Rig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { rig.step() }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }

    Benchmark("NavigationFilter.predict+fuseGPS", configuration: configuration) { benchmark in
        var rig = Rig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rig.filter.fuse(gps: rig.fix(at: rig.nextFusionUs))
            rig.step()
        }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }

    Benchmark("NavigationFilter.predict+fuseBaro", configuration: configuration) { benchmark in
        var rig = Rig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rig.filter.fuse(baro: BaroSample(timestampUs: rig.nextFusionUs, pressurePa: Rig.pressurePa,
                                             temperatureC: 20))
            rig.step()
        }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }

    Benchmark("NavigationFilter.predict+fuseMag", configuration: configuration) { benchmark in
        var rig = Rig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rig.filter.fuse(mag: MagSample(timestampUs: rig.nextFusionUs, fieldFRDGauss: Rig.field))
            rig.step()
        }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }
}

/// A filter aligned and navigating, at rest at its origin, fed consistent samples.
struct Rig {
    static let origin = Geodetic(latitudeDeg: 47.4, longitudeDeg: 8.5, altitudeM: 500)
    static let field = Vector3(0.2, 0, 0.4)
    static let pressurePa = 95_000.0
    static let stepUs: UInt64 = 2500
    var filter = NavigationFilter()
    var nowUs: UInt64 = 1_000_000

    init() {
        for k in 0..<4000 {
            step()
            if k % 20 == 0 {
                filter.fuse(mag: MagSample(timestampUs: nowUs, fieldFRDGauss: Self.field))
                filter.fuse(baro: BaroSample(timestampUs: nowUs, pressurePa: Self.pressurePa, temperatureC: 20))
            }
            if k % 80 == 0, k > 0 { filter.fuse(gps: fix(at: nowUs - 150_000)) }
        }
        precondition(filter.health.isHealthy, "benchmark rig did not reach healthy navigation")
    }

    /// The fusion time the next IMU step will reach (the filter runs `fusion_horizon_s` behind).
    var nextFusionUs: UInt64 { nowUs + Self.stepUs - UInt64(filter.config.fusionHorizonS * 1e6) }

    func fix(at us: UInt64) -> GPSFix {
        GPSFix(timestampUs: us, fixType: .fix3D, position: Self.origin, velocityNEDMps: .zero,
               horizontalAccuracyM: 1, verticalAccuracyM: 1.5, speedAccuracyMps: 0.1, satellitesUsed: 12)
    }

    mutating func step() {
        nowUs += Self.stepUs
        filter.predict(imu: IMUSample(timestampUs: nowUs, accelFRDMps2: Vector3(0, 0, -WGS84.standardGravityMps2),
                                      gyroFRDRadps: .zero, temperatureC: 20))
    }
}
