import FlightMath
import RealModule

/// North/east components: guidance works in the horizontal plane.
struct NE: Sendable, Equatable {
    var north: Double
    var east: Double

    init(_ north: Double, _ east: Double) { self.north = north; self.east = east }
    init(_ v: Vector3) { north = v.x; east = v.y }

    static let zero = NE(0, 0)
    static func + (a: NE, b: NE) -> NE { NE(a.north + b.north, a.east + b.east) }
    static func - (a: NE, b: NE) -> NE { NE(a.north - b.north, a.east - b.east) }
    static func * (a: NE, s: Double) -> NE { NE(a.north * s, a.east * s) }
    static prefix func - (a: NE) -> NE { NE(-a.north, -a.east) }

    func dot(_ o: NE) -> Double { north * o.north + east * o.east }
    /// z of the 3-D cross product: positive when `o` lies clockwise (to the right) of `self`, seen from above.
    func cross(_ o: NE) -> Double { north * o.east - east * o.north }
    var norm: Double { (north * north + east * east).squareRoot() }
    var normalized: NE {
        let n = norm
        return n > 0 ? NE(north / n, east / n) : .zero
    }
    /// Rotated 90° clockwise (to the right) seen from above.
    var right: NE { NE(-east, north) }
    /// Course or heading angle from north, clockwise.
    var bearingRad: Double { Double.atan2(y: east, x: north) }
    static func unit(bearingRad: Double) -> NE { NE(Double.cos(bearingRad), Double.sin(bearingRad)) }
}
