import FlightMath

/// The operating area: an inclusion polygon (lat/lon vertices) and an altitude floor and ceiling above home.
/// Checks run in the local NED frame of home, exact for polygons of tens of kilometres.
public struct Geofence: Sendable, Hashable {
    public let verticesNE: [Vector3]
    public let floorM: Double
    public let ceilingM: Double

    public enum Breach: Sendable, Hashable, CustomStringConvertible {
        case outsidePolygon(distanceM: Double)
        case belowFloor(altitudeM: Double)
        case aboveCeiling(altitudeM: Double)

        public var description: String {
            switch self {
            case .outsidePolygon(let d): return "outside the fence polygon by \(Int(d.rounded())) m"
            case .belowFloor(let a): return "below the fence floor at \(Int(a.rounded())) m"
            case .aboveCeiling(let a): return "above the fence ceiling at \(Int(a.rounded())) m"
            }
        }
    }

    /// `polygon` as (latitude, longitude) in degrees, at least three vertices, not self-intersecting.
    public init(polygonDeg: [(latitude: Double, longitude: Double)], floorM: Double, ceilingM: Double,
                frame: LocalFrame) throws(GeofenceError) {
        guard polygonDeg.count >= 3 else { throw .tooFewVertices(polygonDeg.count) }
        guard floorM.isFinite, ceilingM.isFinite, floorM < ceilingM else {
            throw .badAltitudes(floorM: floorM, ceilingM: ceilingM)
        }
        var ne: [Vector3] = []
        for (i, v) in polygonDeg.enumerated() {
            guard v.latitude.isFinite, abs(v.latitude) <= 90, v.longitude.isFinite, abs(v.longitude) <= 180 else {
                throw .badVertex(index: i + 1)
            }
            let p = frame.ned(of: Geodetic(latitudeDeg: v.latitude, longitudeDeg: v.longitude,
                                           altitudeM: frame.origin.altitudeM))
            ne.append(Vector3(p.x, p.y, 0))
        }
        // Self-intersection makes "inside" ambiguous; refuse it.
        for i in 0..<ne.count {
            for j in (i + 1)..<ne.count where j != i + 1 && !(i == 0 && j == ne.count - 1) {
                if Self.segmentsIntersect(ne[i], ne[(i + 1) % ne.count], ne[j], ne[(j + 1) % ne.count]) {
                    throw .selfIntersecting(edgeA: i + 1, edgeB: j + 1)
                }
            }
        }
        verticesNE = ne
        self.floorM = floorM
        self.ceilingM = ceilingM
    }

    /// The breach at NED position `ned` (relative to home), or nil inside the fence. Allocation free.
    public func breach(atNED ned: Vector3) -> Breach? {
        let altitude = -ned.z
        if altitude > ceilingM { return .aboveCeiling(altitudeM: altitude) }
        if altitude < floorM { return .belowFloor(altitudeM: altitude) }
        if !contains(north: ned.x, east: ned.y) {
            return .outsidePolygon(distanceM: distanceToBoundary(north: ned.x, east: ned.y))
        }
        return nil
    }

    /// Whether a horizontal point lies inside the polygon (even-odd ray casting).
    public func contains(north: Double, east: Double) -> Bool {
        var inside = false
        var j = verticesNE.count - 1
        for i in 0..<verticesNE.count {
            let a = verticesNE[i], b = verticesNE[j]
            if (a.y > east) != (b.y > east) {
                let crossingNorth = a.x + (east - a.y) * (b.x - a.x) / (b.y - a.y)
                if north < crossingNorth { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Horizontal distance to the nearest edge.
    public func distanceToBoundary(north: Double, east: Double) -> Double {
        var best = Double.infinity
        let p = Vector3(north, east, 0)
        for i in 0..<verticesNE.count {
            let a = verticesNE[i], b = verticesNE[(i + 1) % verticesNE.count]
            let ab = b - a
            let t = ab.squaredNorm > 0 ? ((p - a).dot(ab) / ab.squaredNorm).clamped(to: 0...1) : 0
            best = min(best, (a + ab * t - p).norm)
        }
        return best
    }

    private static func segmentsIntersect(_ p1: Vector3, _ p2: Vector3, _ p3: Vector3, _ p4: Vector3) -> Bool {
        func orient(_ a: Vector3, _ b: Vector3, _ c: Vector3) -> Double {
            (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        }
        let d1 = orient(p3, p4, p1), d2 = orient(p3, p4, p2), d3 = orient(p1, p2, p3), d4 = orient(p1, p2, p4)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }
}

public enum GeofenceError: Error, CustomStringConvertible, Equatable {
    case tooFewVertices(Int)
    case badAltitudes(floorM: Double, ceilingM: Double)
    case badVertex(index: Int)
    case selfIntersecting(edgeA: Int, edgeB: Int)

    public var description: String {
        switch self {
        case .tooFewVertices(let n): return "geofence: polygon has \(n) vertices; at least 3 are needed"
        case .badAltitudes(let f, let c): return "geofence: floor \(f) m must be below ceiling \(c) m"
        case .badVertex(let i): return "geofence: vertex \(i) is not a valid latitude/longitude"
        case .selfIntersecting(let a, let b): return "geofence: edges \(a) and \(b) cross; the polygon must be simple"
        }
    }
}
