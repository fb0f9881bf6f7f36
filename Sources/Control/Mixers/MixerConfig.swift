import FlightMath

/// Airframe geometry the mixer serves.
public enum MixerKind: String, Sendable, Codable {
    /// Separate aileron, elevator and rudder.
    case conventional
    /// Flying wing: two elevons mixing roll and pitch (optional rudder).
    case elevon
    /// V-tail: two ruddervators mixing pitch and yaw, with ailerons.
    case vTail = "v_tail"

    /// Output functions this geometry drives; a channel with any other function is a configuration error.
    public var allowedFunctions: Set<OutputFunction> {
        switch self {
        case .conventional: return [.none, .throttle, .aileron, .elevator, .rudder]
        case .elevon: return [.none, .throttle, .elevonLeft, .elevonRight, .rudder]
        case .vTail: return [.none, .throttle, .aileron, .vTailLeft, .vTailRight]
        }
    }
}

/// `[control.mixer]`: geometry, mixing gains and the output channels (`[[control.mixer.channels]]`, in output
/// order, at most 16).
public struct MixerConfig: Sendable, Equatable, Decodable {
    public var kind: MixerKind
    /// Elevon: share of the deflection range given to roll and to pitch.
    public var elevonRollGain: Double
    public var elevonPitchGain: Double
    /// V-tail: share of the ruddervator range given to pitch and to yaw.
    public var vTailPitchGain: Double
    public var vTailYawGain: Double
    public var channels: [OutputChannel]

    public init(kind: MixerKind, channels: [OutputChannel], elevonRollGain: Double = 1, elevonPitchGain: Double = 1,
                vTailPitchGain: Double = 1, vTailYawGain: Double = 1) {
        self.kind = kind; self.channels = channels
        self.elevonRollGain = elevonRollGain; self.elevonPitchGain = elevonPitchGain
        self.vTailPitchGain = vTailPitchGain; self.vTailYawGain = vTailYawGain
    }

    /// Conventional airframe on outputs 1–4 in AETR order.
    public static let defaults = MixerConfig(kind: .conventional, channels: [
        OutputChannel(function: .aileron), OutputChannel(function: .elevator),
        OutputChannel(function: .throttle, trimUs: 1000), OutputChannel(function: .rudder),
    ])

    enum CodingKeys: String, CodingKey {
        case kind, channels
        case elevonRollGain = "elevon_roll_gain", elevonPitchGain = "elevon_pitch_gain"
        case vTailPitchGain = "vtail_pitch_gain", vTailYawGain = "vtail_yaw_gain"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(MixerKind.self, forKey: .kind)
        elevonRollGain = try c.tunable(.elevonRollGain, default: 1, in: 0...1)
        elevonPitchGain = try c.tunable(.elevonPitchGain, default: 1, in: 0...1)
        vTailPitchGain = try c.tunable(.vTailPitchGain, default: 1, in: 0...1)
        vTailYawGain = try c.tunable(.vTailYawGain, default: 1, in: 0...1)
        channels = try c.decode([OutputChannel].self, forKey: .channels)
        guard !channels.isEmpty, channels.count <= OutputPulses.capacity else {
            throw c.invalid(.channels, "\(channels.count) output channels given; 1…\(OutputPulses.capacity) accepted")
        }
        let allowed = kind.allowedFunctions
        for (index, channel) in channels.enumerated() where !allowed.contains(channel.function) {
            throw c.invalid(.channels, "channel \(index + 1) has function '\(channel.function.rawValue)', which a "
                            + "'\(kind.rawValue)' mixer does not drive")
        }
        guard channels.contains(where: { $0.function == .throttle }) else {
            throw c.invalid(.channels, "no channel has function 'throttle'")
        }
    }
}
