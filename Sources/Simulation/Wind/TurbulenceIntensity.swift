/// Turbulence severity of MIL-F-8785C / MIL-HDBK-1797 low-altitude model, by the wind speed at 20 ft (6.1 m).
public enum TurbulenceIntensity: String, Codable, Hashable, Sendable, CaseIterable {
    case none, light, moderate, severe

    /// W20: 15 kt light, 30 kt moderate, 45 kt severe.
    public var windSpeedAt20FtMps: Double {
        let knot = 0.514_444
        switch self {
        case .none: return 0
        case .light: return 15 * knot
        case .moderate: return 30 * knot
        case .severe: return 45 * knot
        }
    }
}
