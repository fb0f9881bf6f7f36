import FlightMath

/// A lithium-polymer pack: open-circuit voltage from state of charge (a typical LiPo discharge curve per cell),
/// internal resistance sag, coulomb counting.
public struct BatteryModel: Hashable, Sendable {
    public let parameters: BatterySection
    public private(set) var stateOfCharge: Double
    public private(set) var currentA = 0.0
    public private(set) var voltageV: Double
    public private(set) var consumedMah = 0.0

    public static let cellFullV = 4.2

    public init(parameters: BatterySection, stateOfCharge: Double = 1) {
        self.parameters = parameters
        self.stateOfCharge = stateOfCharge.clamped(to: 0...1)
        voltageV = 0
        voltageV = openCircuitVoltageV
    }

    /// Resting LiPo cell voltage at state of charge `soc`, piecewise linear through typical measured points.
    // (state of charge, volts), ascending; built once, only read on the step path.
    static let curve: [(soc: Double, volts: Double)] = [
            (0.0, 3.27), (0.05, 3.50), (0.10, 3.61), (0.20, 3.69), (0.30, 3.74), (0.40, 3.78),
            (0.50, 3.82), (0.60, 3.87), (0.70, 3.93), (0.80, 4.00), (0.90, 4.08), (1.0, 4.20),
    ]

    public static func cellOpenCircuitV(stateOfCharge soc: Double) -> Double {
        let curve = Self.curve
        let s = soc.isFinite ? soc.clamped(to: 0...1) : 0
        var i = 1
        while i < curve.count - 1 && curve[i].soc < s { i += 1 }
        let (s0, v0) = curve[i - 1], (s1, v1) = curve[i]
        return v0 + (v1 - v0) * (s - s0) / (s1 - s0)
    }

    public var openCircuitVoltageV: Double {
        Double(parameters.cells) * Self.cellOpenCircuitV(stateOfCharge: stateOfCharge)
    }

    public var fullVoltageV: Double { Double(parameters.cells) * Self.cellFullV }

    /// Draws `loadPowerW` (motor, electrical) plus the avionics current for `dtS`. The current solves
    /// P = (E − I·R)·I; past the pack's maximum power (E²/4R) the current is held at E/2R and the load gets less.
    public mutating func draw(loadPowerW: Double, dtS: Double) {
        let e = openCircuitVoltageV
        let r = parameters.internalResistanceOhm
        let p = max(0, loadPowerW.isFinite ? loadPowerW : 0)
        let discriminant = e * e - 4 * r * p
        let motorCurrent = discriminant > 0 ? (e - discriminant.squareRoot()) / (2 * r) : e / (2 * r)
        currentA = motorCurrent + parameters.avionicsCurrentA
        voltageV = max(0, e - currentA * r)
        let usedMah = currentA * dtS / 3.6
        consumedMah += usedMah
        stateOfCharge = max(0, stateOfCharge - usedMah / parameters.capacityMah)
    }
}
