import Estimation
import EstimatorRig
import FlightMath

// One estimator update at a time, for callgrind, on the shared rig (Tools/estimator-rig). Each update is one IMU
// step; `baro` and `gps` first queue a sample stamped so that this very step fuses it, so their count minus
// `predict`'s is the fusion's cost.

enum EstimatorUpdate: String {
    case predict, baro, gps
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
