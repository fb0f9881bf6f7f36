import Estimation
import FlightMath

/// The vehicle's inertial acceleration along its body x axis, averaged over the IMU samples between two TECS
/// updates (50 Hz against the IMU's 500): the average is the anti-aliasing filter that keeps the propeller's
/// vibration out of TECS's airspeed rate. The accelerometer measures specific force; gravity's component along
/// body x, −g·sin θ, is added back, and the estimator's accelerometer bias taken off.
struct ForwardAccelerationMean {
    private var sumMps2 = 0.0
    private var count = 0

    mutating func add(_ imu: IMUSample, navigation: NavigationState) {
        let specificForce = imu.accelFRDMps2.x - navigation.accelBiasFRDMps2.x
        let gravityFRDMps2 = navigation.attitude.inverseRotate(Vector3(0, 0, WGS84.standardGravityMps2))
        let acceleration = specificForce + gravityFRDMps2.x
        guard acceleration.isFinite else { return }
        sumMps2 += acceleration
        count += 1
    }

    /// The mean since the last call, nil when no sample came; starts the next average.
    mutating func takeMean() -> Double? {
        defer { sumMps2 = 0; count = 0 }
        return count > 0 ? sumMps2 / Double(count) : nil
    }
}
