/// Angle helpers. Radians everywhere inside Kestrel; degrees only at the edges (files, CLI, some MAVLink fields).
public enum Angle {
    public static let degreesPerRadian = 180.0 / Double.pi
    public static let radiansPerDegree = Double.pi / 180.0

    @inlinable public static func radians(fromDegrees d: Double) -> Double { d * radiansPerDegree }
    @inlinable public static func degrees(fromRadians r: Double) -> Double { r * degreesPerRadian }

    /// Wraps to [-π, π). Non-finite input is returned unchanged so the caller's health checks see it.
    @inlinable public static func wrapPi(_ a: Double) -> Double {
        guard a.isFinite else { return a }
        if a >= -Double.pi && a < Double.pi { return a }
        let twoPi = 2 * Double.pi
        var r = (a + Double.pi).truncatingRemainder(dividingBy: twoPi)
        if r < 0 { r += twoPi }
        return r - Double.pi
    }

    /// Wraps to [0, 2π).
    @inlinable public static func wrapTwoPi(_ a: Double) -> Double {
        guard a.isFinite else { return a }
        let twoPi = 2 * Double.pi
        var r = a.truncatingRemainder(dividingBy: twoPi)
        if r < 0 { r += twoPi }
        return r >= twoPi ? 0 : r
    }

    /// Wraps degrees to [-180, 180).
    @inlinable public static func wrap180(_ d: Double) -> Double {
        degrees(fromRadians: wrapPi(radians(fromDegrees: d)))
    }
}
