import RealModule

/// A unit quaternion (Hamilton convention, scalar first) rotating vectors from the body frame (FRD) into the
/// local earth frame (NED): `v_ned = q.rotate(v_frd)`. This is the convention of PX4's `vehicle_attitude.q`
/// and of MAVLink's ATTITUDE_QUATERNION.
public struct Quaternion: Hashable, Sendable {
    public var w: Double
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(w: Double, x: Double, y: Double, z: Double) {
        self.w = w; self.x = x; self.y = y; self.z = z
    }

    public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

    /// Rotation of `angleRad` about `axis` (need not be unit length; a zero axis gives identity).
    @inlinable public init(axis: Vector3, angleRad: Double) {
        let n = axis.norm
        guard n > 0 else { self = .identity; return }
        let half = angleRad / 2
        let s = Double.sin(half) / n
        self.init(w: Double.cos(half), x: axis.x * s, y: axis.y * s, z: axis.z * s)
    }

    /// The rotation whose rotation vector (axis × angle) is `v`; exact for any magnitude, stable near zero.
    @inlinable public init(rotationVector v: Vector3) {
        let angle = v.norm
        if angle < 1e-8 {
            // Second-order series keeps the result unit-length to rounding for tiny increments.
            let q = Quaternion(w: 1 - angle * angle / 8, x: v.x / 2, y: v.y / 2, z: v.z / 2)
            self = q.normalized
        } else {
            self.init(axis: v, angleRad: angle)
        }
    }

    /// From ZYX (yaw, then pitch, then roll) Euler angles, the aerospace convention.
    @inlinable public init(euler e: EulerAngles) {
        let cr = Double.cos(e.rollRad / 2), sr = Double.sin(e.rollRad / 2)
        let cp = Double.cos(e.pitchRad / 2), sp = Double.sin(e.pitchRad / 2)
        let cy = Double.cos(e.yawRad / 2), sy = Double.sin(e.yawRad / 2)
        self.init(
            w: cr * cp * cy + sr * sp * sy,
            x: sr * cp * cy - cr * sp * sy,
            y: cr * sp * cy + sr * cp * sy,
            z: cr * cp * sy - sr * sp * cy)
    }

    /// From a proper rotation matrix (body → NED), by Shepperd's method so that no branch divides by a small number.
    public init(dcm m: Matrix3) {
        let t = m.trace
        if t > 0 {
            let s = (t + 1).squareRoot() * 2
            self.init(w: s / 4, x: (m[2, 1] - m[1, 2]) / s, y: (m[0, 2] - m[2, 0]) / s, z: (m[1, 0] - m[0, 1]) / s)
        } else if m[0, 0] > m[1, 1] && m[0, 0] > m[2, 2] {
            let s = (1 + m[0, 0] - m[1, 1] - m[2, 2]).squareRoot() * 2
            self.init(w: (m[2, 1] - m[1, 2]) / s, x: s / 4, y: (m[0, 1] + m[1, 0]) / s, z: (m[0, 2] + m[2, 0]) / s)
        } else if m[1, 1] > m[2, 2] {
            let s = (1 + m[1, 1] - m[0, 0] - m[2, 2]).squareRoot() * 2
            self.init(w: (m[0, 2] - m[2, 0]) / s, x: (m[0, 1] + m[1, 0]) / s, y: s / 4, z: (m[1, 2] + m[2, 1]) / s)
        } else {
            let s = (1 + m[2, 2] - m[0, 0] - m[1, 1]).squareRoot() * 2
            self.init(w: (m[1, 0] - m[0, 1]) / s, x: (m[0, 2] + m[2, 0]) / s, y: (m[1, 2] + m[2, 1]) / s, z: s / 4)
        }
        self = canonical.normalized
    }

    @inlinable public var vector: Vector3 { Vector3(x, y, z) }
    @inlinable public var norm: Double { (w * w + x * x + y * y + z * z).squareRoot() }
    @inlinable public var isFinite: Bool { w.isFinite && x.isFinite && y.isFinite && z.isFinite }

    /// Unit length; a degenerate (zero or non-finite) quaternion becomes identity rather than NaN.
    @inlinable public var normalized: Quaternion {
        let n = norm
        guard n > 1e-12, n.isFinite else { return .identity }
        return Quaternion(w: w / n, x: x / n, y: y / n, z: z / n)
    }

    /// The same rotation with a non-negative scalar part (q and -q are the same rotation).
    @inlinable public var canonical: Quaternion { w < 0 ? Quaternion(w: -w, x: -x, y: -y, z: -z) : self }

    @inlinable public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

    /// Hamilton product: `(a * b).rotate(v) == a.rotate(b.rotate(v))`.
    @inlinable public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
        Quaternion(
            w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
            x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
            y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
            z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
    }

    /// Rotates `v` from the body frame into the earth frame.
    @inlinable public func rotate(_ v: Vector3) -> Vector3 {
        // v + 2w(u × v) + 2u × (u × v), with u the vector part: fewer operations than building the DCM.
        let u = vector
        let t = u.cross(v) * 2
        return v + t * w + u.cross(t)
    }

    /// Rotates `v` from the earth frame into the body frame.
    @inlinable public func inverseRotate(_ v: Vector3) -> Vector3 { conjugate.rotate(v) }

    /// Direction cosine matrix, body → NED.
    @inlinable public var dcm: Matrix3 {
        let ww = w * w, xx = x * x, yy = y * y, zz = z * z
        let xy = x * y, xz = x * z, yz = y * z, wx = w * x, wy = w * y, wz = w * z
        return Matrix3(
            rows: Vector3(ww + xx - yy - zz, 2 * (xy - wz), 2 * (xz + wy)),
            Vector3(2 * (xy + wz), ww - xx + yy - zz, 2 * (yz - wx)),
            Vector3(2 * (xz - wy), 2 * (yz + wx), ww - xx - yy + zz))
    }

    @inlinable public var euler: EulerAngles { EulerAngles(dcm: dcm) }

    /// Rotation vector (axis × angle, angle in [0, π]) of this rotation.
    @inlinable public var rotationVector: Vector3 {
        let q = canonical
        let s = q.vector.norm
        guard s > 1e-12 else { return q.vector * 2 }
        let angle = 2 * Double.atan2(y: s, x: q.w)
        return q.vector * (angle / s)
    }

    /// The angle of the rotation that takes `self` to `other`, in [0, π].
    @inlinable public func angleRad(to other: Quaternion) -> Double {
        (conjugate * other).rotationVector.norm
    }

    /// Advances an attitude by a body-frame rotation increment (e.g. gyro rate × dt), renormalised.
    @inlinable public func integrated(bodyRotation deltaRad: Vector3) -> Quaternion {
        (self * Quaternion(rotationVector: deltaRad)).normalized
    }

    /// Time derivative for body angular rate `omegaFRD` (rad/s): q̇ = ½ q ⊗ (0, ω).
    @inlinable public func derivative(bodyRateRadps o: Vector3) -> Quaternion {
        Quaternion(
            w: 0.5 * (-x * o.x - y * o.y - z * o.z),
            x: 0.5 * (w * o.x + y * o.z - z * o.y),
            y: 0.5 * (w * o.y - x * o.z + z * o.x),
            z: 0.5 * (w * o.z + x * o.y - y * o.x))
    }

    @inlinable public static func + (a: Quaternion, b: Quaternion) -> Quaternion {
        Quaternion(w: a.w + b.w, x: a.x + b.x, y: a.y + b.y, z: a.z + b.z)
    }

    @inlinable public static func * (q: Quaternion, s: Double) -> Quaternion {
        Quaternion(w: q.w * s, x: q.x * s, y: q.y * s, z: q.z * s)
    }
}
