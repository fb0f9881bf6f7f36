import ConfigFiles

/// `[mass]`: mass and inertia about the centre of gravity, body axes FRD (`ixz_kgm2` = ∫ x·z dm).
public struct MassSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var massKg: Double
    public var ixxKgm2: Double
    public var iyyKgm2: Double
    public var izzKgm2: Double
    public var ixzKgm2: Double

    enum CodingKeys: String, CodingKey {
        case massKg = "mass_kg", ixxKgm2 = "ixx_kgm2", iyyKgm2 = "iyy_kgm2", izzKgm2 = "izz_kgm2", ixzKgm2 = "ixz_kgm2"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(massKg, in: 0.05...50, "mass_kg", unit: "kg")
        try Self.require(ixxKgm2, in: 1e-5...100, "ixx_kgm2", unit: "kg·m²")
        try Self.require(iyyKgm2, in: 1e-5...100, "iyy_kgm2", unit: "kg·m²")
        try Self.require(izzKgm2, in: 1e-5...100, "izz_kgm2", unit: "kg·m²")
        try Self.require(ixzKgm2, in: -100...100, "ixz_kgm2", unit: "kg·m²")
        guard massProperties != nil else {
            throw ConfigValueError(keyPath: "ixz_kgm2", reason: "inertia tensor is not positive definite (Ixx·Izz ≤ Ixz²)")
        }
        // A rigid body's principal moments obey the triangle inequality.
        guard ixxKgm2 + iyyKgm2 >= izzKgm2 * 0.999, iyyKgm2 + izzKgm2 >= ixxKgm2 * 0.999,
              izzKgm2 + ixxKgm2 >= iyyKgm2 * 0.999 else {
            throw ConfigValueError(keyPath: "izz_kgm2", reason: "moments of inertia violate Ixx + Iyy ≥ Izz (and cyclic)")
        }
    }

    public var massProperties: MassProperties? {
        MassProperties(massKg: massKg, ixxKgm2: ixxKgm2, iyyKgm2: iyyKgm2, izzKgm2: izzKgm2, ixzKgm2: ixzKgm2)
    }
}
