/// A level change seen on a digital input, stamped with the kernel's edge time (not when we noticed it).
public struct EdgeEvent: Hashable, Sendable {
    /// Monotonic microseconds of the edge.
    public var timestampUs: UInt64
    /// Logical level after the edge (active-low already applied): `true` = active.
    public var isActive: Bool

    public init(timestampUs: UInt64, isActive: Bool) {
        self.timestampUs = timestampUs
        self.isActive = isActive
    }
}

/// A digital input line (switch, data-ready pin). Non-blocking: safe to poll from the real-time loop.
public protocol DigitalInput: AnyObject {
    /// Current logical level (`true` = active).
    func readLevel() throws(DeviceError) -> Bool
    /// The next pending edge, or nil when none is queued. Never blocks.
    func nextEdge() throws(DeviceError) -> EdgeEvent?
}

/// Electrical configuration of an input line.
public struct DigitalInputConfig: Hashable, Sendable {
    public enum Bias: Hashable, Sendable { case asIs, disabled, pullUp, pullDown }

    /// Inverts the logical level: a switch to ground with a pull-up is active-low.
    public var activeLow: Bool
    public var bias: Bias
    /// Edges closer than this to the next one are contact bounce and are dropped (0 = no debounce).
    public var debounceUs: UInt64
    /// Name shown by gpioinfo as the line's consumer.
    public var consumer: String

    public init(activeLow: Bool = false, bias: Bias = .asIs, debounceUs: UInt64 = 0, consumer: String = "kestrel") {
        self.activeLow = activeLow
        self.bias = bias
        self.debounceUs = debounceUs
        self.consumer = consumer
    }
}
