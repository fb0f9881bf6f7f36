import FlightMath
import RealModule

/// Air properties at one altitude.
public struct AirState: Hashable, Sendable {
    public var densityKgpm3: Double
    public var pressurePa: Double
    public var temperatureK: Double
    public var speedOfSoundMps: Double

    public init(densityKgpm3: Double, pressurePa: Double, temperatureK: Double, speedOfSoundMps: Double) {
        self.densityKgpm3 = densityKgpm3; self.pressurePa = pressurePa
        self.temperatureK = temperatureK; self.speedOfSoundMps = speedOfSoundMps
    }

    public var temperatureC: Double { temperatureK - 273.15 }
}

/// International Standard Atmosphere (ISO 2533 / ICAO), troposphere 0–11 km and the isothermal layer 11–20 km.
/// The altitude is taken as geopotential; for a small UAV the difference to geometric height (0.17 % at 11 km)
/// is far below the weather's own departure from the standard day.
public enum StandardAtmosphere {
    public static let seaLevelPressurePa = 101_325.0
    public static let seaLevelTemperatureK = 288.15
    public static let seaLevelDensityKgpm3 = 1.225
    public static let heatCapacityRatio = 1.4
    public static let troposphereLapseRateKpm = 0.0065
    public static let tropopauseAltitudeM = 11_000.0
    public static let upperLimitM = 20_000.0

    static let tropopauseTemperatureK = seaLevelTemperatureK - troposphereLapseRateKpm * tropopauseAltitudeM
    /// g0 / (R·L), the exponent of the troposphere pressure law.
    static let pressureExponent = WGS84.standardGravityMps2
        / (PitotStatic.dryAirGasConstantJpkgK * troposphereLapseRateKpm)
    static let tropopausePressurePa = seaLevelPressurePa
        * Double.pow(tropopauseTemperatureK / seaLevelTemperatureK, pressureExponent)

    /// Air at `altitudeM` above mean sea level. Below sea level the troposphere law is extended down to -500 m;
    /// above 20 km the isothermal layer is extended (the airframes here never get there).
    public static func air(altitudeM: Double) -> AirState {
        let h = altitudeM.clamped(to: -500...upperLimitM)
        let temperature: Double
        let pressure: Double
        if h <= tropopauseAltitudeM {
            temperature = seaLevelTemperatureK - troposphereLapseRateKpm * h
            pressure = seaLevelPressurePa * Double.pow(temperature / seaLevelTemperatureK, pressureExponent)
        } else {
            temperature = tropopauseTemperatureK
            pressure = tropopausePressurePa * Double.exp(-WGS84.standardGravityMps2 * (h - tropopauseAltitudeM)
                                                             / (PitotStatic.dryAirGasConstantJpkgK * temperature))
        }
        return AirState(
            densityKgpm3: pressure / (PitotStatic.dryAirGasConstantJpkgK * temperature),
            pressurePa: pressure,
            temperatureK: temperature,
            speedOfSoundMps: (heatCapacityRatio * PitotStatic.dryAirGasConstantJpkgK * temperature).squareRoot())
    }

    /// Pressure altitude (m) of a static pressure, the inverse of `air(altitudeM:).pressurePa` in the troposphere.
    public static func pressureAltitudeM(pressurePa: Double) -> Double {
        (seaLevelTemperatureK / troposphereLapseRateKpm)
            * (1 - Double.pow(pressurePa / seaLevelPressurePa, 1 / pressureExponent))
    }
}
