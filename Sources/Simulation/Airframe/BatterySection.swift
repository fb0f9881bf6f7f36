import ConfigFiles

/// `[battery]`: a lithium-polymer pack.
public struct BatterySection: Codable, Hashable, Sendable, ValidatedConfig {
    public var capacityMah: Double
    public var cells: Int
    /// Whole-pack internal resistance (cells, wiring, connectors).
    public var internalResistanceOhm: Double
    /// Constant draw of the flight computer, servos, radios.
    public var avionicsCurrentA: Double

    enum CodingKeys: String, CodingKey {
        case capacityMah = "capacity_mah", cells, internalResistanceOhm = "internal_resistance_ohm"
        case avionicsCurrentA = "avionics_current_a"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(capacityMah, in: 100...100_000, "capacity_mah", unit: "mAh")
        guard (1...14).contains(cells) else {
            throw ConfigValueError(keyPath: "cells", reason: "\(cells) cells is outside the accepted range 1…14")
        }
        try Self.require(internalResistanceOhm, in: 0.0005...2, "internal_resistance_ohm", unit: "Ω")
        try Self.require(avionicsCurrentA, in: 0...20, "avionics_current_a", unit: "A")
    }
}
