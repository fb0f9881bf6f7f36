import FlightMath
import RealModule

/// Air-relative flow angles and speed seen by the airframe.
public struct AirData: Hashable, Sendable {
    public var airspeedMps: Double
    public var alphaRad: Double
    public var betaRad: Double

    /// From the air-relative velocity in body axes. Below a walking pace the angles are meaningless; they are
    /// reported as zero rather than as the direction of numerical noise.
    public init(airVelocityFRDMps v: Vector3) {
        let speed = v.norm
        airspeedMps = speed
        if speed < 0.1 {
            alphaRad = 0; betaRad = 0
        } else {
            alphaRad = Double.atan2(y: v.z, x: v.x)
            betaRad = Double.asin((v.y / speed).clamped(to: -1...1))
        }
    }
}
