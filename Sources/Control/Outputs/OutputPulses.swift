/// Pulse widths for up to `capacity` PWM outputs, in fixed-size inline storage so the mixer allocates nothing.
public struct OutputPulses: Sendable {
    public static let capacity = 16

    private var storage = InlineArray<16, UInt16>(repeating: 0)
    /// Number of configured outputs; outputs at or beyond it are not driven.
    public let count: Int

    public init(count: Int) {
        self.count = min(max(count, 0), Self.capacity)
    }

    /// Pulse width of output `channel` in µs, or nil for a channel that is not configured.
    public func pulseUs(channel: Int) -> UInt16? {
        guard channel >= 0, channel < count else { return nil }
        return storage[channel]
    }

    mutating func setPulseUs(_ pulseUs: UInt16, channel: Int) {
        guard channel >= 0, channel < count else { return }
        storage[channel] = pulseUs
    }

    /// The configured outputs as an array, for tests and logging off the real-time path.
    public var pulsesUs: [UInt16] { (0..<count).map { storage[$0] } }
}
