import Estimation
import FlightMath

// One estimator update at a time, for callgrind: the same rig as Benchmarks/EstimatorBenchmarks (a filter aligned
// and navigating at rest at its origin). Each update is one IMU step; `baro` and `gps` first queue a sample stamped so
// that this very step fuses it, so their count minus `predict`'s is the fusion's cost, including the re-propagation
// of the output state through the fusion horizon that a correction entails.

enum EstimatorUpdate: String {
    case predict, baro, gps
}

struct EstimatorRig {
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
        precondition(filter.health.isHealthy, "estimator rig did not reach healthy navigation")
    }

    /// The fusion time the next IMU step reaches (the filter runs `fusion_horizon_s` behind).
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

@inline(never)
func kestrelCountedEstimatorUpdates(_ rig: inout EstimatorRig, _ update: EstimatorUpdate, _ count: Int) {
    for _ in 0..<count {
        switch update {
        case .predict: break
        case .baro:
            rig.filter.fuse(baro: BaroSample(timestampUs: rig.nextFusionUs, pressurePa: EstimatorRig.pressurePa,
                                             temperatureC: 20))
        case .gps: rig.filter.fuse(gps: rig.fix(at: rig.nextFusionUs))
        }
        rig.step()
    }
}
