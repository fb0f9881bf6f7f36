import Control
import FlightMath
import Simulation

/// How hard the autopilot works for its tracking, over the same window as the altitude and airspeed figures:
/// what TECS demands (pitch setpoint spread and rate, time spent clamped on its pitch limits; throttle spread and
/// activity) and what the surfaces really travel (the plant's servo positions, after their frame hold, rate limit
/// and lag). Tracking bought with a saturated pitch demand or a throttle that never rests wears servos and motor
/// and leaves no margin for a gust; these figures sit beside the tracking ones so neither is tuned alone.
public struct ControlEffort: Sendable, Equatable {
    public private(set) var pitchSetpointDeg = ErrorStatistic()
    public private(set) var pitchSetpointRateDegps = ErrorStatistic()
    public private(set) var pitchLimitedSamples = 0
    public private(set) var throttle = ErrorStatistic()
    /// Σ|Δthrottle| over the window, in full ranges (0…1).
    public private(set) var throttleTravel = 0.0
    /// Σ|Δdeflection| of each surface channel over the window, degrees.
    public private(set) var surfaceTravelDeg = SurfaceChannels()
    public private(set) var surfaceChannelCount = 0
    /// Time covered by consecutive samples (the travels' denominator), s.
    public private(set) var durationS = 0.0
    private var last: Sample?

    private struct Sample: Equatable {
        var timeS: Double
        var pitchSetpointRad: Double
        var throttle: Double
        var deflectionsRad: SurfaceChannels
    }

    public init() {}

    /// One sample inside the window.
    public mutating func record(timeS: Double, tecs: TECSStatus, deflectionsRad: SurfaceChannels,
                                surfaceChannels: Int) {
        let deg = Angle.degreesPerRadian
        pitchSetpointDeg.add(tecs.pitchSetpointRad * deg)
        throttle.add(tecs.throttle)
        if tecs.pitchLimited { pitchLimitedSamples += 1 }
        surfaceChannelCount = min(surfaceChannels, SurfaceChannels.capacity)
        let now = Sample(timeS: timeS, pitchSetpointRad: tecs.pitchSetpointRad, throttle: tecs.throttle,
                         deflectionsRad: deflectionsRad)
        defer { last = now }
        guard let last, timeS > last.timeS else { return }
        let dt = timeS - last.timeS
        durationS += dt
        pitchSetpointRateDegps.add((now.pitchSetpointRad - last.pitchSetpointRad) * deg / dt)
        throttleTravel += abs(now.throttle - last.throttle)
        for c in 0..<surfaceChannelCount {
            surfaceTravelDeg[c] += abs(now.deflectionsRad[c] - last.deflectionsRad[c]) * deg
        }
    }

    /// The window was left (another mode): the next sample starts a new run of differences.
    public mutating func pause() { last = nil }

    /// Share of samples with the pitch demand clamped on its limits, 0…1; NaN without samples.
    public var pitchLimitedFraction: Double {
        pitchSetpointDeg.count > 0 ? Double(pitchLimitedSamples) / Double(pitchSetpointDeg.count) : .nan
    }

    /// Throttle travel per second, full ranges/s; NaN without a duration.
    public var throttleActivityPerS: Double { durationS > 0 ? throttleTravel / durationS : .nan }

    /// The most-travelled surface channel's travel per minute, degrees/min; NaN without a duration.
    public var maxSurfaceTravelDegPerMin: Double {
        guard durationS > 0, surfaceChannelCount > 0 else { return .nan }
        var largestDeg = 0.0
        for c in 0..<surfaceChannelCount { largestDeg = max(largestDeg, surfaceTravelDeg[c]) }
        return largestDeg * 60 / durationS
    }
}
