import FlightMath

/// Mass and inertia about the centre of gravity, body axes FRD. The aircraft is symmetric about its x–z plane, so
/// the only product of inertia is `Ixz = ∫ x·z dm`; the tensor is [[Ixx, 0, -Ixz], [0, Iyy, 0], [-Ixz, 0, Izz]]
/// (the sign convention of Stevens & Lewis and of Beard & McLain).
public struct MassProperties: Hashable, Sendable {
    public let massKg: Double
    public let inertiaKgm2: Matrix3
    public let inverseInertia: Matrix3

    /// Nil when the tensor is not positive definite (a physically impossible body).
    public init?(massKg: Double, ixxKgm2: Double, iyyKgm2: Double, izzKgm2: Double, ixzKgm2: Double) {
        guard massKg > 0, ixxKgm2 > 0, iyyKgm2 > 0, izzKgm2 > 0, ixxKgm2 * izzKgm2 > ixzKgm2 * ixzKgm2 else {
            return nil
        }
        let j = Matrix3(rows: Vector3(ixxKgm2, 0, -ixzKgm2), Vector3(0, iyyKgm2, 0), Vector3(-ixzKgm2, 0, izzKgm2))
        guard let inv = j.inverse() else { return nil }
        self.massKg = massKg
        self.inertiaKgm2 = j
        self.inverseInertia = inv
    }
}
