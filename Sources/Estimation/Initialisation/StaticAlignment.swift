import FlightMath

/// Ground alignment: while the vehicle sits still, average the specific force (which then points up, so it gives
/// roll and pitch) and the magnetic field (whose horizontal part, after levelling, gives heading). Any motion
/// restarts the average, so a vehicle carried to the launcher aligns only once it is put down.
struct StaticAlignment: Sendable {
    private(set) var accelSumFRD = Vector3.zero
    private(set) var gyroSumFRD = Vector3.zero
    private(set) var accelSamples = 0
    private(set) var durationS = 0.0
    private(set) var magSumFRD = Vector3.zero
    private(set) var magSamples = 0
    /// Low-passed readings for the rest test: single samples of a noisy MEMS gyro exceed any sensible threshold.
    private var smoothedGyroFRD: Vector3?
    private var smoothedAccelFRD: Vector3?
    static let restFilterTimeConstantS = 0.2

    /// Forgets the averages (the rest-test filters keep running).
    mutating func restart() {
        accelSumFRD = .zero
        gyroSumFRD = .zero
        accelSamples = 0
        durationS = 0
        magSumFRD = .zero
        magSamples = 0
    }

    /// Adds one IMU sample; a sample showing motion restarts the alignment.
    mutating func add(accelFRDMps2 f: Vector3, gyroFRDRadps w: Vector3, dtS: Double, maxGyroRadps: Double,
                      maxAccelDeviationMps2: Double) {
        let alpha = Swift.min(dtS / Self.restFilterTimeConstantS, 1)
        let g = smoothedGyroFRD.map { $0 + (w - $0) * alpha } ?? w
        let a = smoothedAccelFRD.map { $0 + (f - $0) * alpha } ?? f
        smoothedGyroFRD = g
        smoothedAccelFRD = a
        let atRest = g.norm <= maxGyroRadps && abs(a.norm - WGS84.standardGravityMps2) <= maxAccelDeviationMps2
        guard atRest else {
            restart()
            return
        }
        accelSumFRD += f
        gyroSumFRD += w
        accelSamples += 1
        durationS += dtS
    }

    mutating func add(magFRDGauss m: Vector3) {
        magSumFRD += m
        magSamples += 1
    }

    /// The mean gyro reading at rest: the turn-on bias, to a good approximation (the earth rate, ≤ 7.3e-5 rad/s,
    /// is left in it and the filter carries it as bias).
    var gyroBiasFRDRadps: Vector3 { accelSamples > 0 ? gyroSumFRD / Double(accelSamples) : .zero }

    /// Roll and pitch from the mean specific force; heading from the mean field rotated into the level frame,
    /// corrected by `declinationRad`, or zero when there is no field (`headingFromMag` false).
    func attitude(declinationRad: Double) -> (attitude: Quaternion, headingFromMag: Bool)? {
        guard accelSamples > 0 else { return nil }
        let f = accelSumFRD / Double(accelSamples)
        guard f.norm > 1 else { return nil }
        // At rest f = −Rᵀ g: the body's "up" reading; roll and pitch follow from its components.
        let roll = Double.atan2(y: -f.y, x: -f.z)
        let pitch = Double.atan2(y: f.x, x: (f.y * f.y + f.z * f.z).squareRoot())
        var yaw = 0.0
        var fromMag = false
        if magSamples > 0 {
            let m = magSumFRD / Double(magSamples)
            let levelled = Quaternion(euler: EulerAngles(rollRad: roll, pitchRad: pitch, yawRad: 0)).rotate(m)
            if (levelled.x * levelled.x + levelled.y * levelled.y) > 1e-6 {
                // The horizontal field points to magnetic north; the body's heading is minus its azimuth.
                yaw = Angle.wrapPi(declinationRad - Double.atan2(y: levelled.y, x: levelled.x))
                fromMag = true
            }
        }
        return (Quaternion(euler: EulerAngles(rollRad: roll, pitchRad: pitch, yawRad: yaw)), fromMag)
    }
}
