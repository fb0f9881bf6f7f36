import RealModule

/// A local north-east-down frame tangent to the ellipsoid at `origin`. Conversions go through ECEF and are exact
/// (no flat-earth approximation), so a 100 km leg is placed as precisely as a 100 m one.
public struct LocalFrame: Hashable, Sendable {
    public let origin: Geodetic
    public let originECEF: Vector3
    /// Rotation ECEF → NED at the origin.
    public let ecefToNED: Matrix3

    public init(origin: Geodetic) {
        self.origin = origin
        self.originECEF = origin.ecef
        let sLat = Double.sin(origin.latitudeRad), cLat = Double.cos(origin.latitudeRad)
        let sLon = Double.sin(origin.longitudeRad), cLon = Double.cos(origin.longitudeRad)
        self.ecefToNED = Matrix3(
            rows: Vector3(-sLat * cLon, -sLat * sLon, cLat),
            Vector3(-sLon, cLon, 0),
            Vector3(-cLat * cLon, -cLat * sLon, -sLat))
    }

    /// NED position (m) of `point` relative to the origin.
    @inlinable public func ned(of point: Geodetic) -> Vector3 {
        ecefToNED * (point.ecef - originECEF)
    }

    /// Geodetic position of a NED point (m) relative to the origin.
    @inlinable public func geodetic(ofNED ned: Vector3) -> Geodetic {
        Geodetic(ecef: originECEF + ecefToNED.transposed * ned)
    }
}
