/// Per-channel surface values in fixed storage (no heap): normalised commands −1…1 or deflections in rad,
/// depending on where it is used. Out-of-range channels read as 0 and ignore writes.
public struct SurfaceChannels: Hashable, Sendable {
    public static let capacity = 4
    public var channel0 = 0.0
    public var channel1 = 0.0
    public var channel2 = 0.0
    public var channel3 = 0.0

    public init() {}

    public init(_ c0: Double, _ c1: Double = 0, _ c2: Double = 0, _ c3: Double = 0) {
        channel0 = c0; channel1 = c1; channel2 = c2; channel3 = c3
    }

    public subscript(channel: Int) -> Double {
        get {
            switch channel {
            case 0: return channel0
            case 1: return channel1
            case 2: return channel2
            case 3: return channel3
            default: return 0
            }
        }
        set {
            switch channel {
            case 0: channel0 = newValue
            case 1: channel1 = newValue
            case 2: channel2 = newValue
            case 3: channel3 = newValue
            default: break
            }
        }
    }
}

/// What the plant is commanded each step: surface channels normalised to −1…1 (±1 = the configured maximum
/// deflection, positive in the sign convention of `AerodynamicsSection` for the channel's function) and throttle
/// 0…1. Out-of-range and NaN values are limited, as a real servo or ESC would.
public struct PlantControls: Hashable, Sendable {
    public var surfaces: SurfaceChannels
    public var throttle: Double

    public init(surfaces: SurfaceChannels = SurfaceChannels(), throttle: Double = 0) {
        self.surfaces = surfaces; self.throttle = throttle
    }
}
