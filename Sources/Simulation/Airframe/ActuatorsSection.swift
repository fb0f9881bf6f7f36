import ConfigFiles

/// What a control-surface channel moves. Elevons act as half elevator, half aileron each.
public enum SurfaceFunction: String, Codable, Hashable, Sendable, CaseIterable {
    case aileron, elevator, rudder
    case elevonLeft = "elevon_left", elevonRight = "elevon_right"
}

/// One servo-driven surface. Channel numbers are the order of `[[actuators.surfaces]]` in the file.
/// `frame_rate_hz`, `deadband_us` and `backlash_deg` came later: a file without them gets the defaults below, from
/// typical hobby servos, so an older airframe file still loads.
public struct SurfaceActuatorSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var function: SurfaceFunction
    /// Deflection at a normalised command of ±1.
    public var maxDeflectionDeg: Double
    public var rateLimitDps: Double
    /// First-order servo lag.
    public var timeConstantS: Double
    /// How often the servo reads its command pulse: it acts on the last pulse it read for a whole frame.
    public var frameRateHz: Double
    /// Dead band width of the servo's position loop, µs of pulse width: an error below it does not move the horn.
    public var deadbandUs: Double
    /// Total mechanical play between servo horn and surface (gears, clevis, horn holes), degrees at the surface.
    public var backlashDeg: Double

    /// Analogue hobby servos are driven with the RC standard 20 ms pulse frame (50 Hz; "pulse cycle 20 ms" in
    /// Hitec and Futaba analogue servo data); digital servos accept faster frames, but 50 Hz is what a PWM output
    /// set up for any servo sends.
    public static let defaultFrameRateHz = 50.0
    /// Hobby servo data sheets give a "dead band width" of 1–8 µs (digital micro servos 1–2 µs, cheap analogue
    /// ones up to 8 µs); 2 µs of the ±500 µs travel is 0.2 % of it.
    public static let defaultDeadbandUs = 2.0
    /// Servo data sheets do not state gear play; bench measurements of standard-size metal-gear servos with ball
    /// links give a few tenths of a degree at the surface, plastic-gear micro servos with Z-bends nearer 1°.
    public static let defaultBacklashDeg = 0.5

    enum CodingKeys: String, CodingKey {
        case function, maxDeflectionDeg = "max_deflection_deg", rateLimitDps = "rate_limit_dps"
        case timeConstantS = "time_constant_s", frameRateHz = "frame_rate_hz", deadbandUs = "deadband_us"
        case backlashDeg = "backlash_deg"
    }

    public init(function: SurfaceFunction, maxDeflectionDeg: Double, rateLimitDps: Double, timeConstantS: Double,
                frameRateHz: Double = Self.defaultFrameRateHz, deadbandUs: Double = Self.defaultDeadbandUs,
                backlashDeg: Double = Self.defaultBacklashDeg) {
        self.function = function
        self.maxDeflectionDeg = maxDeflectionDeg
        self.rateLimitDps = rateLimitDps
        self.timeConstantS = timeConstantS
        self.frameRateHz = frameRateHz
        self.deadbandUs = deadbandUs
        self.backlashDeg = backlashDeg
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        function = try c.decode(SurfaceFunction.self, forKey: .function)
        maxDeflectionDeg = try c.decode(Double.self, forKey: .maxDeflectionDeg)
        rateLimitDps = try c.decode(Double.self, forKey: .rateLimitDps)
        timeConstantS = try c.decode(Double.self, forKey: .timeConstantS)
        frameRateHz = try c.decodeIfPresent(Double.self, forKey: .frameRateHz) ?? Self.defaultFrameRateHz
        deadbandUs = try c.decodeIfPresent(Double.self, forKey: .deadbandUs) ?? Self.defaultDeadbandUs
        backlashDeg = try c.decodeIfPresent(Double.self, forKey: .backlashDeg) ?? Self.defaultBacklashDeg
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(maxDeflectionDeg, in: 1...60, "max_deflection_deg", unit: "deg")
        try Self.require(rateLimitDps, in: 10...5000, "rate_limit_dps", unit: "deg/s")
        try Self.require(timeConstantS, in: 0...1, "time_constant_s", unit: "s")
        // 20 Hz: the slowest frame any RC receiver sends (50 ms); 560 Hz: the fastest digital-servo frames.
        try Self.require(frameRateHz, in: 20...560, "frame_rate_hz", unit: "Hz")
        try Self.require(deadbandUs, in: 0...25, "deadband_us", unit: "µs")
        try Self.require(backlashDeg, in: 0...5, "backlash_deg", unit: "deg")
    }
}

/// `[actuators]`: the control surfaces, one channel each, at most `SurfaceChannels.capacity`.
public struct ActuatorsSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var surfaces: [SurfaceActuatorSection]

    public func validate() throws(ConfigValueError) {
        guard (1...SurfaceChannels.capacity).contains(surfaces.count) else {
            throw ConfigValueError(keyPath: "surfaces",
                                   reason: "\(surfaces.count) surfaces; 1…\(SurfaceChannels.capacity) are supported")
        }
        for (i, s) in surfaces.enumerated() where surfaces[..<i].contains(where: { $0.function == s.function }) {
            throw ConfigValueError(keyPath: "surfaces[\(i)].function", reason: "'\(s.function.rawValue)' appears twice")
        }
        let functions = Set(surfaces.map(\.function))
        guard functions.contains(.elevator) || functions.isSuperset(of: [.elevonLeft, .elevonRight]) else {
            throw ConfigValueError(keyPath: "surfaces", reason: "no pitch control: need an elevator or both elevons")
        }
        guard functions.contains(.aileron) || functions.isSuperset(of: [.elevonLeft, .elevonRight]) else {
            throw ConfigValueError(keyPath: "surfaces", reason: "no roll control: need ailerons or both elevons")
        }
    }
}
