/// `[control]` of an airframe file. Every sub-table and every key is optional and takes the default shown in its
/// type, except the mixer, whose channels describe the wiring and so are always given when `[control.mixer]` is.
public struct ControlConfig: Sendable, Equatable, Decodable {
    public var airspeed: AirspeedConfig
    public var attitude: AttitudeConfig
    public var rates: RateConfig
    public var tecs: TECSConfig
    public var mixer: MixerConfig

    public init(airspeed: AirspeedConfig = .defaults, attitude: AttitudeConfig = .defaults,
                rates: RateConfig = .defaults, tecs: TECSConfig = .defaults, mixer: MixerConfig = .defaults) {
        self.airspeed = airspeed; self.attitude = attitude; self.rates = rates; self.tecs = tecs; self.mixer = mixer
    }

    public static let defaults = ControlConfig()

    enum CodingKeys: String, CodingKey { case airspeed, attitude, rates, tecs, mixer }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        airspeed = try c.decodeIfPresent(AirspeedConfig.self, forKey: .airspeed) ?? .defaults
        attitude = try c.decodeIfPresent(AttitudeConfig.self, forKey: .attitude) ?? .defaults
        rates = try c.decodeIfPresent(RateConfig.self, forKey: .rates) ?? .defaults
        tecs = try c.decodeIfPresent(TECSConfig.self, forKey: .tecs) ?? .defaults
        mixer = try c.decodeIfPresent(MixerConfig.self, forKey: .mixer) ?? .defaults
    }
}
