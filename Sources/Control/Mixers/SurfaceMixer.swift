/// Turns normalised roll/pitch/yaw commands into a normalised deflection per output function.
///
/// Surface sign convention: a positive deflection of any surface is the direction that makes the moment named by
/// its function positive — aileron rolls right, elevator pitches up, rudder yaws right. For mixed surfaces a
/// positive value is trailing edge up: elevons give left = pitch − roll, right = pitch + roll (right trailing edge
/// up drops right-wing lift and the left down raises left-wing lift: roll right); an upright V-tail gives
/// left = pitch + yaw, right = pitch − yaw (left panel trailing edge up pushes the tail down and left: nose up and
/// right). Servo direction is each channel's `reversed` flag.
public struct SurfaceMixer: Sendable {
    public var config: MixerConfig

    public init(config: MixerConfig) { self.config = config }

    /// Deflections of the surfaces of one tick, for every function.
    public struct Deflections: Sendable, Equatable {
        public var aileron = 0.0, elevator = 0.0, rudder = 0.0, throttle = 0.0
        public var elevonLeft = 0.0, elevonRight = 0.0, vTailLeft = 0.0, vTailRight = 0.0

        public func value(for function: OutputFunction) -> Double {
            switch function {
            case .none: return 0
            case .throttle: return throttle
            case .aileron: return aileron
            case .elevator: return elevator
            case .rudder: return rudder
            case .elevonLeft: return elevonLeft
            case .elevonRight: return elevonRight
            case .vTailLeft: return vTailLeft
            case .vTailRight: return vTailRight
            }
        }
    }

    public func deflections(for commands: ActuatorCommands) -> Deflections {
        let c = commands.limited
        var d = Deflections()
        d.throttle = c.throttle
        switch config.kind {
        case .conventional:
            d.aileron = c.roll
            d.elevator = c.pitch
            d.rudder = c.yaw
        case .elevon:
            // Roll keeps its authority when both saturate: pitch gets the range that is left.
            let (roll, pitch) = Self.prioritised(primary: config.elevonRollGain * c.roll,
                                                 secondary: config.elevonPitchGain * c.pitch)
            d.elevonLeft = pitch - roll
            d.elevonRight = pitch + roll
            d.rudder = c.yaw
        case .vTail:
            // Pitch keeps its authority when both saturate: yaw gets the range that is left.
            let (pitch, yaw) = Self.prioritised(primary: config.vTailPitchGain * c.pitch,
                                                secondary: config.vTailYawGain * c.yaw)
            d.vTailLeft = pitch + yaw
            d.vTailRight = pitch - yaw
            d.aileron = c.roll
        }
        return d
    }

    /// The primary limited to ±1 and the secondary to the range the primary leaves, so that their sum and
    /// difference stay within -1...1 and the primary axis is never reduced.
    static func prioritised(primary: Double, secondary: Double) -> (primary: Double, secondary: Double) {
        let p = primary.clamped(to: -1...1)
        let room = 1 - abs(p)
        return (p, secondary.clamped(to: -room...room))
    }
}
