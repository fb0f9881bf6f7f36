import FlightMath
import RealModule

/// How the IMU's axes differ from the airframe's and from each other, drawn once at power-on: the board's
/// mounting rotation (shared by both sensors), each sensor's cross-axis coupling (its axes not quite orthogonal),
/// the gyro's sensitivity to linear acceleration, and where the board sits relative to the centre of gravity.
public struct IMUMountingErrors: Hashable, Sendable {
    /// Body FRD → accelerometer axes: mounting rotation then cross-axis coupling.
    public let accelAxes: Matrix3
    public let gyroAxes: Matrix3
    /// Gyro error per unit specific force (rad/s per m/s²), per axis.
    public let gyroGSensitivity: Vector3
    public let leverArmFRDM: Vector3

    public init(section s: IMUSensorSection, random: RandomSource) {
        var r = random
        let mountingSigmaRad = Angle.radians(fromDegrees: s.misalignmentSigmaDeg)
        let mounting = Quaternion(rotationVector: r.gaussianVector(standardDeviation: mountingSigmaRad))
        // Columns are where the body axes land in the board's axes.
        let rotation = Matrix3(rows: mounting.inverseRotate(Vector3(1, 0, 0)),
                               mounting.inverseRotate(Vector3(0, 1, 0)),
                               mounting.inverseRotate(Vector3(0, 0, 1))).transposed
        func coupling(_ sigma: Double) -> Matrix3 {
            let upper = r.gaussianVector(standardDeviation: sigma)
            let lower = r.gaussianVector(standardDeviation: sigma)
            return Matrix3(rows: Vector3(1, upper.x, upper.y), Vector3(lower.x, 1, upper.z),
                           Vector3(lower.y, lower.z, 1))
        }
        accelAxes = coupling(s.accelCrossAxisSigma) * rotation
        gyroAxes = coupling(s.gyroCrossAxisSigma) * rotation
        let dpsPerGToRadpsPerMps2 = Angle.radians(fromDegrees: 1) / WGS84.standardGravityMps2
        gyroGSensitivity = r.gaussianVector(standardDeviation: s.gyroGSensitivityDpsPerG * dpsPerGToRadpsPerMps2)
        leverArmFRDM = s.leverArm
    }

    /// Specific force at the IMU's position, body FRD: the CG's plus the tangential (ω̇ × r) and centripetal
    /// (ω × (ω × r)) accelerations of the lever arm.
    public func specificForceAtIMU(cgFRDMps2: Vector3, bodyRateFRDRadps w: Vector3,
                                   bodyAngularAccelFRDRadps2 wDot: Vector3) -> Vector3 {
        cgFRDMps2 + wDot.cross(leverArmFRDM) + w.cross(w.cross(leverArmFRDM))
    }
}
