/// A 3-vector of `Double`. The frame is carried by the name of the variable that holds it
/// (`velocityNEDMps`, `gyroFRDRadps`), never by the type, so arithmetic stays cheap and allocation free.
public struct Vector3: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x; self.y = y; self.z = z
    }

    @inlinable public init(x: Double, y: Double, z: Double) {
        self.x = x; self.y = y; self.z = z
    }

    public static let zero = Vector3(0, 0, 0)
    public static let unitX = Vector3(1, 0, 0)
    public static let unitY = Vector3(0, 1, 0)
    public static let unitZ = Vector3(0, 0, 1)

    @inlinable public subscript(index: Int) -> Double {
        get {
            switch index {
            case 0: return x
            case 1: return y
            default: return z
            }
        }
        set {
            switch index {
            case 0: x = newValue
            case 1: y = newValue
            default: z = newValue
            }
        }
    }

    @inlinable public var squaredNorm: Double { x * x + y * y + z * z }
    @inlinable public var norm: Double { squaredNorm.squareRoot() }

    /// Unit vector in the same direction; the zero vector stays zero rather than becoming NaN.
    @inlinable public var normalized: Vector3 {
        let n = norm
        return n > 0 ? self / n : .zero
    }

    @inlinable public func dot(_ o: Vector3) -> Double { x * o.x + y * o.y + z * o.z }

    @inlinable public func cross(_ o: Vector3) -> Vector3 {
        Vector3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }

    /// Component-wise product.
    @inlinable public func scaled(by o: Vector3) -> Vector3 { Vector3(x * o.x, y * o.y, z * o.z) }

    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }

    /// Each component clamped to `-limit...limit`.
    @inlinable public func clamped(toMagnitude limit: Double) -> Vector3 {
        Vector3(x.clamped(to: -limit...limit), y.clamped(to: -limit...limit), z.clamped(to: -limit...limit))
    }

    @inlinable public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    @inlinable public static func * (a: Vector3, s: Double) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func * (s: Double, a: Vector3) -> Vector3 { Vector3(a.x * s, a.y * s, a.z * s) }
    @inlinable public static func / (a: Vector3, s: Double) -> Vector3 { Vector3(a.x / s, a.y / s, a.z / s) }
    @inlinable public static func += (a: inout Vector3, b: Vector3) { a = a + b }
    @inlinable public static func -= (a: inout Vector3, b: Vector3) { a = a - b }
    @inlinable public static func *= (a: inout Vector3, s: Double) { a = a * s }
}

extension Double {
    /// `self` limited to `range`; NaN stays NaN so that callers can detect it.
    @inlinable public func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
