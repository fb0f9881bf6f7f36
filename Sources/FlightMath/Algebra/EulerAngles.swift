import RealModule

/// ZYX Euler angles (yaw about down, then pitch about the new right axis, then roll about forward), radians.
public struct EulerAngles: Hashable, Sendable {
    public var rollRad: Double
    public var pitchRad: Double
    public var yawRad: Double

    @inlinable public init(rollRad: Double, pitchRad: Double, yawRad: Double) {
        self.rollRad = rollRad; self.pitchRad = pitchRad; self.yawRad = yawRad
    }

    /// From a body → NED rotation matrix. At pitch ±90° roll and yaw are not separable; yaw takes all of it.
    @inlinable public init(dcm m: Matrix3) {
        let sinPitch = (-m[2, 0]).clamped(to: -1...1)
        let pitch = Double.asin(sinPitch)
        if abs(sinPitch) > 1 - 1e-12 {
            self.init(rollRad: 0, pitchRad: pitch, yawRad: Double.atan2(y: -m[0, 1], x: m[1, 1]))
        } else {
            self.init(
                rollRad: Double.atan2(y: m[2, 1], x: m[2, 2]),
                pitchRad: pitch,
                yawRad: Double.atan2(y: m[1, 0], x: m[0, 0]))
        }
    }
}
