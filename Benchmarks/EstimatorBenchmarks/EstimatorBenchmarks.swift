import Benchmark
import Estimation
import EstimatorRig
import FlightMath

/// Cost of the navigation filter's per-sample work on the real-time path. Each fusion benchmark enqueues one
/// sample stamped so that the very next IMU step fuses it; subtract the `predict` figure to get the fusion alone
/// (which includes re-propagating the output state through the IMU samples inside the fusion horizon).
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal],
                                                scalingFactor: .kilo, maxDuration: .seconds(2),
                                                maxIterations: 1_000_000)

    Benchmark("NavigationFilter.predict", configuration: configuration) { benchmark in
        var rig = EstimatorRig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { rig.step() }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }

    Benchmark("NavigationFilter.predict+fuseGPS", configuration: configuration) { benchmark in
        var rig = EstimatorRig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rig.filter.fuse(gps: rig.fix(at: rig.nextFusionUs))
            rig.step()
        }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }

    Benchmark("NavigationFilter.predict+fuseBaro", configuration: configuration) { benchmark in
        var rig = EstimatorRig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rig.filter.fuse(baro: BaroSample(timestampUs: rig.nextFusionUs, pressurePa: EstimatorRig.pressurePa,
                                             temperatureC: 20))
            rig.step()
        }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }

    Benchmark("NavigationFilter.predict+fuseMag", configuration: configuration) { benchmark in
        var rig = EstimatorRig()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            rig.filter.fuse(mag: MagSample(timestampUs: rig.nextFusionUs, fieldFRDGauss: EstimatorRig.field))
            rig.step()
        }
        benchmark.stopMeasurement()
        blackHole(rig.filter.state.positionNEDM)
    }
}
