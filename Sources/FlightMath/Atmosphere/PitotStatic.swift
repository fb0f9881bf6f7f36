/// Air-data relations shared by the estimator, the vehicle, the flight log and the plant: dry-air density from
/// static pressure and temperature (ideal gas), and true airspeed from a pitot's differential pressure.
public enum PitotStatic {
    /// Specific gas constant of dry air (ISA, ISO 2533), J/(kg·K).
    public static let dryAirGasConstantJpkgK = 287.052_87
    /// Floor on the absolute temperature used for density, so a failed temperature sensor cannot give an
    /// infinite or negative density.
    public static let minimumTemperatureK = 150.0

    /// Density of dry air (kg/m³) at static pressure `pressurePa` and temperature `temperatureC`, with the
    /// temperature floored at `minimumTemperatureK`.
    @inlinable public static func densityKgpm3(pressurePa: Double, temperatureC: Double) -> Double {
        pressurePa / (dryAirGasConstantJpkgK * max(temperatureC + 273.15, minimumTemperatureK))
    }

    /// True airspeed (m/s) from a pitot's differential pressure, √(2·q/ρ). Negative pressure (noise around
    /// zero) counts as zero; a density that is not positive gives 0.
    @inlinable public static func trueAirspeedMps(differentialPressurePa: Double, densityKgpm3: Double) -> Double {
        guard densityKgpm3 > 0 else { return 0 }
        return (2 * max(differentialPressurePa, 0) / densityKgpm3).squareRoot()
    }
}
