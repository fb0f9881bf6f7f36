import FlightMath

/// What an output drives. Surface functions take a normalised deflection in -1...1 (see `SurfaceMixer` for the
/// sign of each); `throttle` takes 0...1.
public enum OutputFunction: String, Sendable, Codable, CaseIterable {
    case none
    case throttle
    case aileron
    case elevator
    case rudder
    case elevonLeft = "elevon_left"
    case elevonRight = "elevon_right"
    case vTailLeft = "vtail_left"
    case vTailRight = "vtail_right"
}

/// One PWM output: its function, pulse-width range and what it shows when disarmed. TOML keys: `function`,
/// `min_us`, `trim_us`, `max_us`, `reversed`, `disarmed_us`.
public struct OutputChannel: Sendable, Equatable, Decodable {
    public var function: OutputFunction
    public var minUs: Double
    public var trimUs: Double
    public var maxUs: Double
    public var reversed: Bool
    /// Pulse width while disarmed: the servo's safe position, or for a throttle output a value at or below `minUs`
    /// (0 means no pulse at all).
    public var disarmedUs: Double

    /// Pulse widths any output may be configured to; outside this a hobby servo or ESC is out of its range.
    public static let hardLimitsUs: ClosedRange<Double> = 800...2200

    public init(function: OutputFunction, minUs: Double = 1000, trimUs: Double = 1500, maxUs: Double = 2000,
                reversed: Bool = false, disarmedUs: Double? = nil) {
        self.function = function
        self.minUs = minUs; self.trimUs = trimUs; self.maxUs = maxUs
        self.reversed = reversed
        self.disarmedUs = disarmedUs ?? (function == .throttle ? minUs : trimUs)
    }

    enum CodingKeys: String, CodingKey {
        case function, minUs = "min_us", trimUs = "trim_us", maxUs = "max_us", reversed, disarmedUs = "disarmed_us"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        function = try c.decode(OutputFunction.self, forKey: .function)
        minUs = try c.tunable(.minUs, default: 1000, in: Self.hardLimitsUs, unit: "µs")
        maxUs = try c.tunable(.maxUs, default: 2000, in: Self.hardLimitsUs, unit: "µs")
        trimUs = try c.tunable(.trimUs, default: function == .throttle ? minUs : (minUs + maxUs) / 2,
                               in: Self.hardLimitsUs, unit: "µs")
        reversed = try c.tunable(.reversed, default: false)
        let disarmedDefault = function == .throttle ? minUs : trimUs
        disarmedUs = try c.tunable(.disarmedUs, default: disarmedDefault, in: 0...Self.hardLimitsUs.upperBound,
                                   unit: "µs")
        guard minUs < maxUs else { throw c.invalid(.maxUs, "max_us \(maxUs) must be above min_us \(minUs)") }
        guard (minUs...maxUs).contains(trimUs) else {
            throw c.invalid(.trimUs, "trim_us \(trimUs) must lie within min_us…max_us (\(minUs)…\(maxUs))")
        }
        if function == .throttle {
            guard !reversed else {
                throw c.invalid(.reversed, "a throttle output cannot be reversed (zero throttle must be min_us)")
            }
            guard disarmedUs <= minUs else {
                throw c.invalid(.disarmedUs, "a throttle output's disarmed_us (\(disarmedUs)) must not exceed its "
                                + "min_us (\(minUs)): the motor must not run while disarmed")
            }
        } else if disarmedUs != 0 {
            guard (minUs...maxUs).contains(disarmedUs) else {
                throw c.invalid(.disarmedUs, "disarmed_us \(disarmedUs) must be 0 or within min_us…max_us "
                                + "(\(minUs)…\(maxUs))")
            }
        }
    }

    /// Pulse width for a normalised value: surfaces map -1...0...1 onto min...trim...max (so the two halves may have
    /// different throws), throttle maps 0...1 onto min...max. Reversal mirrors the value first. The result is
    /// limited to min...max.
    func pulseUs(for value: Double) -> UInt16 {
        let pulse: Double
        if function == .throttle {
            // Never reversed (rejected at decoding): zero throttle is always min_us.
            let t = value.isFinite ? value.clamped(to: 0...1) : 0
            pulse = minUs + t * (maxUs - minUs)
        } else {
            let s = value.isFinite ? value.clamped(to: -1...1) : 0
            let v = reversed ? -s : s
            pulse = v >= 0 ? trimUs + v * (maxUs - trimUs) : trimUs + v * (trimUs - minUs)
        }
        return UInt16(pulse.clamped(to: minUs...maxUs).rounded())
    }

    var disarmedPulseUs: UInt16 { UInt16(disarmedUs.rounded()) }
}
