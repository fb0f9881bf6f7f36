import FlightMath

/// Normalised commands from the control loops to the mixer, before any airframe geometry.
///
/// Sign convention (moments, not surface directions; the mixer and each channel's reversal map them onto servos):
/// `roll` > 0 rolls right (right wing down), `pitch` > 0 pitches nose up, `yaw` > 0 yaws nose right.
/// `roll`, `pitch`, `yaw` are in -1...1; `throttle` in 0...1.
public struct ActuatorCommands: Sendable, Equatable {
    public var roll: Double
    public var pitch: Double
    public var yaw: Double
    public var throttle: Double

    public init(roll: Double = 0, pitch: Double = 0, yaw: Double = 0, throttle: Double = 0) {
        self.roll = roll; self.pitch = pitch; self.yaw = yaw; self.throttle = throttle
    }

    public static let neutral = ActuatorCommands()

    /// Each command limited to its range; a non-finite command becomes neutral (surfaces) or zero (throttle) so a
    /// NaN from upstream can never reach a servo.
    public var limited: ActuatorCommands {
        func surface(_ v: Double) -> Double { v.isFinite ? v.clamped(to: -1...1) : 0 }
        return ActuatorCommands(roll: surface(roll), pitch: surface(pitch), yaw: surface(yaw),
                                throttle: throttle.isFinite ? throttle.clamped(to: 0...1) : 0)
    }
}
