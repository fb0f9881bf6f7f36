import FlightMath

/// The point the operator designated, in the integer units that are signed: latitude and longitude in degrees × 10⁷
/// and height above the WGS-84 ellipsoid in millimetres (the datum of `FlightMath.Geodetic.altitudeM`). Integers make
/// the signed bytes exact: the vehicle and the ground station compare and sign the same numbers, with no floating
/// point rounding between them. 1e-7° is about 11 mm on the ground.
public struct DesignatedPoint: Hashable, Sendable, CustomStringConvertible {
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    public var altitudeMm: Int32

    public static let latitudeLimitE7: Int32 = 900_000_000
    public static let longitudeLimitE7: Int32 = 1_800_000_000

    /// Checks the ranges: |lat| ≤ 90°, |lon| ≤ 180°.
    public init(latitudeE7: Int32, longitudeE7: Int32, altitudeMm: Int32) throws(DesignationError) {
        guard latitudeE7 >= -Self.latitudeLimitE7, latitudeE7 <= Self.latitudeLimitE7 else {
            throw .latitudeOutOfRange(latitudeE7: Int64(latitudeE7))
        }
        guard longitudeE7 >= -Self.longitudeLimitE7, longitudeE7 <= Self.longitudeLimitE7 else {
            throw .longitudeOutOfRange(longitudeE7: Int64(longitudeE7))
        }
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.altitudeMm = altitudeMm
    }

    /// Rounds a geodetic position to the signed integer grid.
    public init(geodetic: Geodetic) throws(DesignationError) {
        guard geodetic.isFinite else { throw .notFinite }
        let latE7 = (geodetic.latitudeDeg * 1e7).rounded()
        let lonE7 = (geodetic.longitudeDeg * 1e7).rounded()
        let altMm = (geodetic.altitudeM * 1000).rounded()
        guard abs(latE7) <= Double(Self.latitudeLimitE7) else { throw .latitudeOutOfRange(latitudeE7: Self.saturating(latE7)) }
        guard abs(lonE7) <= Double(Self.longitudeLimitE7) else {
            throw .longitudeOutOfRange(longitudeE7: Self.saturating(lonE7))
        }
        guard altMm >= Double(Int32.min), altMm <= Double(Int32.max) else { throw .altitudeOutOfRange(altitudeM: geodetic.altitudeM) }
        try self.init(latitudeE7: Int32(latE7), longitudeE7: Int32(lonE7), altitudeMm: Int32(altMm))
    }

    /// For error messages about absurd inputs: finite values beyond Int64 are reported at its limits, not trapped on.
    private static func saturating(_ value: Double) -> Int64 {
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    public var geodetic: Geodetic {
        Geodetic(
            latitudeDeg: Double(latitudeE7) * 1e-7, longitudeDeg: Double(longitudeE7) * 1e-7,
            altitudeM: Double(altitudeMm) * 1e-3)
    }

    public var description: String { "lat \(latitudeE7)e-7° lon \(longitudeE7)e-7° alt \(altitudeMm) mm" }
}

public enum DesignationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFinite
    case latitudeOutOfRange(latitudeE7: Int64)
    case longitudeOutOfRange(longitudeE7: Int64)
    case altitudeOutOfRange(altitudeM: Double)

    public var description: String {
        switch self {
        case .notFinite: "designated point is not finite"
        case .latitudeOutOfRange(let v): "designated latitude \(v)e-7° is outside ±90°"
        case .longitudeOutOfRange(let v): "designated longitude \(v)e-7° is outside ±180°"
        case .altitudeOutOfRange(let v): "designated altitude \(v) m does not fit in a 32-bit millimetre field"
        }
    }
}
