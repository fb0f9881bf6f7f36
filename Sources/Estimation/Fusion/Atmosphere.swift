import FlightMath
import RealModule

/// International Standard Atmosphere relations the fusion needs (troposphere only, below 11 km).
enum Atmosphere {
    static let seaLevelPressurePa = 101_325.0
    static let seaLevelTemperatureK = 288.15
    static let lapseRateKpm = 0.0065
    /// g / (R · L), the exponent of the barometric formula.
    static let exponent = WGS84.standardGravityMps2 / (PitotStatic.dryAirGasConstantJpkgK * lapseRateKpm)

    /// Height (m) at which the standard atmosphere has pressure `pressurePa`.
    static func pressureAltitudeM(pressurePa p: Double) -> Double {
        seaLevelTemperatureK / lapseRateKpm * (1 - Double.pow(p / seaLevelPressurePa, 1 / exponent))
    }
}
