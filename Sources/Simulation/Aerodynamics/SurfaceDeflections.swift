/// Equivalent aileron, elevator and rudder deflections (rad) in the sign convention of `AerodynamicsSection`,
/// after mixing the physical surfaces (elevons contribute to both δe and δa).
public struct SurfaceDeflections: Hashable, Sendable {
    public var aileronRad: Double
    public var elevatorRad: Double
    public var rudderRad: Double

    public init(aileronRad: Double, elevatorRad: Double, rudderRad: Double) {
        self.aileronRad = aileronRad; self.elevatorRad = elevatorRad; self.rudderRad = rudderRad
    }

    public static let neutral = SurfaceDeflections(aileronRad: 0, elevatorRad: 0, rudderRad: 0)
}
