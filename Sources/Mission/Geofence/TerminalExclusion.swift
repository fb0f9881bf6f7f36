import FlightMath

/// How large the volume around the designation is that only an approved terminal phase may enter. The gate guards
/// the terminal *mode*; this guards the *place*: without it a plan waypoint, a reposition orbit or a hold could fly
/// the vehicle low over the designation in mission or loiter mode with no approval at all.
///
/// The volume is a vertical cylinder of `radiusM` around the designated point, from the ground up to
/// `heightAboveDesignationM` above it. Above that top the vehicle may fly freely — that is where it loiters to ask
/// for approval.
///
/// Defaults, and why:
/// - radius 250 m: the footprint of a loiter over the designation (centre within one radius of the point, at the
///   typical 120 m orbit radius, so passes up to about 240 m from it), and about 12 s of flight at 20 m/s cruise —
///   time for an operator to see an unexpected descent near the designation and wave it off.
/// - height 60 m: twice the default abort floor (30 m), so an unapproved vehicle is kept well above the height at
///   which an approach is committed, and far enough below the usual 100–150 m loiter heights that height keeping
///   in the loiter never brushes it.
public struct TerminalExclusion: Sendable, Equatable {
    public static let defaultRadiusM = 250.0
    public static let defaultHeightAboveDesignationM = 60.0
    /// Radius and height must lie in these ranges (a smaller volume protects nothing; a larger one forbids the
    /// loiter the approval is asked from).
    public static let radiusRangeM = 50.0...2_000
    public static let heightRangeM = 10.0...500

    public var radiusM: Double
    public var heightAboveDesignationM: Double

    public init(radiusM: Double = defaultRadiusM, heightAboveDesignationM: Double = defaultHeightAboveDesignationM) {
        self.radiusM = radiusM
        self.heightAboveDesignationM = heightAboveDesignationM
    }

    /// Whether both values are finite and in range (configuration readers check this and name the field).
    public var isValid: Bool {
        Self.radiusRangeM.contains(radiusM) && Self.heightRangeM.contains(heightAboveDesignationM)
    }

    /// The volume around a designation at `designationNEDM` (local NED of home).
    public func volume(aroundNED designationNEDM: Vector3) -> ExclusionVolume {
        ExclusionVolume(designationNEDM: designationNEDM, radiusM: radiusM,
                        topHeightM: -designationNEDM.z + heightAboveDesignationM)
    }
}

/// The exclusion volume placed in the local NED frame of home. All checks are allocation free.
public struct ExclusionVolume: Sendable, Equatable {
    public let designationNEDM: Vector3
    public let radiusM: Double
    /// Height above home of the volume's top.
    public let topHeightM: Double

    public init(designationNEDM: Vector3, radiusM: Double, topHeightM: Double) {
        self.designationNEDM = designationNEDM
        self.radiusM = radiusM
        self.topHeightM = topHeightM
    }

    /// Whether `ned` is inside the volume.
    public func contains(_ ned: Vector3) -> Bool {
        -ned.z < topHeightM && horizontalDistance(toNED: ned) < radiusM
    }

    /// Whether the straight leg `a` → `b` enters the volume. Guidance flies a leg at the target's height and may
    /// climb or descend anywhere along it, so the leg is taken at the lower of its two ends.
    public func legEnters(from a: Vector3, to b: Vector3) -> Bool {
        guard min(-a.z, -b.z) < topHeightM else { return false }
        let d = designationNEDM
        let abN = b.x - a.x, abE = b.y - a.y
        let lengthSquared = abN * abN + abE * abE
        var t = 0.0
        if lengthSquared > 0 { t = (((d.x - a.x) * abN + (d.y - a.y) * abE) / lengthSquared).clamped(to: 0...1) }
        let n = a.x + abN * t - d.x, e = a.y + abE * t - d.y
        return (n * n + e * e).squareRoot() < radiusM
    }

    /// Whether an orbit of `orbitRadiusM` around `centerNEDM` (at the centre's height) enters the volume: the
    /// circle's nearest point to the designation is |distance − radius| from it.
    public func orbitEnters(centerNEDM: Vector3, orbitRadiusM: Double) -> Bool {
        -centerNEDM.z < topHeightM && abs(horizontalDistance(toNED: centerNEDM) - orbitRadiusM) < radiusM
    }

    public func horizontalDistance(toNED ned: Vector3) -> Double {
        let n = ned.x - designationNEDM.x, e = ned.y - designationNEDM.y
        return (n * n + e * e).squareRoot()
    }
}
