import RealModule

/// The WGS-84 ellipsoid, the datum of GPS and of MAVLink's latitude/longitude fields.
public enum WGS84 {
    public static let semiMajorAxisM = 6_378_137.0
    public static let flattening = 1.0 / 298.257_223_563
    public static let semiMinorAxisM = semiMajorAxisM * (1 - flattening)
    public static let eccentricitySquared = flattening * (2 - flattening)
    /// Standard gravity used for g-units and specific-force checks (m/s²).
    public static let standardGravityMps2 = 9.806_65
    public static let earthRotationRadps = 7.292_115e-5

    /// Prime-vertical radius of curvature at `latitudeRad`.
    @inlinable public static func primeVerticalRadiusM(latitudeRad: Double) -> Double {
        let s = Double.sin(latitudeRad)
        return semiMajorAxisM / (1 - eccentricitySquared * s * s).squareRoot()
    }

    /// Meridian radius of curvature at `latitudeRad`.
    @inlinable public static func meridianRadiusM(latitudeRad: Double) -> Double {
        let s = Double.sin(latitudeRad)
        let d = 1 - eccentricitySquared * s * s
        return semiMajorAxisM * (1 - eccentricitySquared) / (d * d.squareRoot())
    }
}

/// A position on the WGS-84 ellipsoid: latitude and longitude in radians, height above the ellipsoid in metres.
public struct Geodetic: Hashable, Sendable {
    public var latitudeRad: Double
    public var longitudeRad: Double
    public var altitudeM: Double

    @inlinable public init(latitudeRad: Double, longitudeRad: Double, altitudeM: Double) {
        self.latitudeRad = latitudeRad; self.longitudeRad = longitudeRad; self.altitudeM = altitudeM
    }

    @inlinable public init(latitudeDeg: Double, longitudeDeg: Double, altitudeM: Double) {
        self.init(
            latitudeRad: Angle.radians(fromDegrees: latitudeDeg),
            longitudeRad: Angle.radians(fromDegrees: longitudeDeg),
            altitudeM: altitudeM)
    }

    @inlinable public var latitudeDeg: Double { Angle.degrees(fromRadians: latitudeRad) }
    @inlinable public var longitudeDeg: Double { Angle.degrees(fromRadians: longitudeRad) }

    @inlinable public var isFinite: Bool { latitudeRad.isFinite && longitudeRad.isFinite && altitudeM.isFinite }

    /// Earth-centred, earth-fixed position (m).
    @inlinable public var ecef: Vector3 {
        let sLat = Double.sin(latitudeRad), cLat = Double.cos(latitudeRad)
        let sLon = Double.sin(longitudeRad), cLon = Double.cos(longitudeRad)
        let n = WGS84.primeVerticalRadiusM(latitudeRad: latitudeRad)
        return Vector3(
            (n + altitudeM) * cLat * cLon,
            (n + altitudeM) * cLat * sLon,
            (n * (1 - WGS84.eccentricitySquared) + altitudeM) * sLat)
    }

    /// The geodetic position of an ECEF point. Fixed-point iteration on latitude with a height formula that stays
    /// well conditioned at the poles; eight iterations reach far below a micrometre anywhere from the centre of
    /// the earth to beyond geostationary orbit, and the fixed count keeps the cost bounded.
    @inlinable public init(ecef r: Vector3) {
        let e2 = WGS84.eccentricitySquared
        let p = (r.x * r.x + r.y * r.y).squareRoot()
        let lon = Double.atan2(y: r.y, x: r.x)
        var lat = Double.atan2(y: r.z, x: p * (1 - e2))
        var h = 0.0
        for _ in 0..<8 {
            let s = Double.sin(lat), c = Double.cos(lat)
            let n = WGS84.primeVerticalRadiusM(latitudeRad: lat)
            h = p * c + (r.z + e2 * n * s) * s - n
            lat = Double.atan2(y: r.z, x: p * (1 - e2 * n / (n + h)))
        }
        let s = Double.sin(lat), c = Double.cos(lat)
        let n = WGS84.primeVerticalRadiusM(latitudeRad: lat)
        h = p * c + (r.z + e2 * n * s) * s - n
        self.init(latitudeRad: lat, longitudeRad: lon, altitudeM: h)
    }
}
