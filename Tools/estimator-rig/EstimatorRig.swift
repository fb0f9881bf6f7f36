import Estimation
import FlightMath

/// The navigation filter on a test bench: aligned and navigating at rest at its origin, fed consistent samples, one
/// 400 Hz IMU step at a time. `nextFusionUs` stamps a sample so that the very next step fuses it, so a fusion's cost
/// (with the re-propagation of the output state through the fusion horizon it entails) is one step's cost minus a
/// plain prediction's. Shared by the estimator benchmarks (Benchmarks/EstimatorBenchmarks) and the instruction counts
/// (Benchmarks/Tools/tick-instructions), so both measure the same thing. Its per-step members are inlinable: called across the
/// module boundary they were not inlined, and the GPS fusion counted 34% more instructions (62.4 k against 46.5 k).
public struct EstimatorRig {
    public static let origin = Geodetic(latitudeDeg: 47.4, longitudeDeg: 8.5, altitudeM: 500)
    public static let field = Vector3(0.2, 0, 0.4)
    public static let pressurePa = 95_000.0
    public static let stepUs: UInt64 = 2500
    public var filter = NavigationFilter()
    public var nowUs: UInt64 = 1_000_000

    public init() {
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
    @inlinable public var nextFusionUs: UInt64 { nowUs + Self.stepUs - UInt64(filter.config.fusionHorizonS * 1e6) }

    @inlinable public func fix(at us: UInt64) -> GPSFix {
        GPSFix(timestampUs: us, fixType: .fix3D, position: Self.origin, velocityNEDMps: .zero,
               horizontalAccuracyM: 1, verticalAccuracyM: 1.5, speedAccuracyMps: 0.1, satellitesUsed: 12)
    }

    @inlinable public mutating func step() {
        nowUs += Self.stepUs
        filter.predict(imu: IMUSample(timestampUs: nowUs, accelFRDMps2: Vector3(0, 0, -WGS84.standardGravityMps2),
                                      gyroFRDRadps: .zero, temperatureC: 20))
    }
}
