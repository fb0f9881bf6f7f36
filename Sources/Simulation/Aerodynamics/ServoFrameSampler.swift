/// A hobby servo reads its command pulse once per PWM frame and acts on that pulse until the next one: the command
/// it sees is sampled and held at the frame boundaries. Where those boundaries fall relative to the autopilot's
/// ticks (the frame phase) differs from channel to channel, so up to a whole frame of latency comes on top of the
/// servo's own lag, and not the same on every surface.
struct ServoFrameSampler: Hashable, Sendable {
    let framePeriodS: Double
    /// Time left until the servo next reads its pulse.
    private(set) var timeToNextFrameS: Double
    /// The command read at the last frame boundary.
    private(set) var heldCommand: Double

    /// - Parameter phase: where the first frame boundary falls, as a fraction 0…1 of a frame after time zero.
    init(frameRateHz: Double, phase: Double, command: Double = 0) {
        framePeriodS = 1 / frameRateHz
        timeToNextFrameS = phase.clamped(to: 0...1) * framePeriodS
        heldCommand = command
    }

    /// Holds `command` at once, as if the servo had read it at the last frame (initial conditions, trimmed starts).
    mutating func reset(command: Double) { heldCommand = command }

    /// The command the servo acts on over the next `dtS`: `command` when a frame boundary falls at the start of the
    /// step (the plant holds its controls over a step), else the one held since the last boundary.
    mutating func sample(_ command: Double, dtS: Double) -> Double {
        // A boundary within a nanosecond counts as now: sums of steps (2.5 ms each) drift by far less than that.
        if timeToNextFrameS <= 1e-9 {
            heldCommand = command
            // A frame shorter than a step reads once per step; the boundaries it skipped read the same command.
            repeat { timeToNextFrameS += framePeriodS } while timeToNextFrameS <= 1e-9
        }
        timeToNextFrameS -= dtS
        return heldCommand
    }
}
