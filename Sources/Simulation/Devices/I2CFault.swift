/// A deterministic I2C fault for SITL and tests: what goes wrong, at which address, and on which transfer
/// attempts (counted per address from when the fault was injected, so a test can say "the third read fails").
public struct I2CFault: Hashable, Sendable {
    public enum Effect: Hashable, Sendable {
        /// The address is not acknowledged (loose wire, dead chip): the bus reports `noDeviceAtAddress`.
        case nack
        /// A device holds SCL low (clock stretching gone wrong): the bus reports `timedOut`.
        case timeout
        /// Every byte read back from the chip is XORed with the mask (noise on SDA).
        case corruptRead(xorMask: UInt8)
        /// Every byte written to the chip is XORed with the mask before it lands.
        case corruptWrite(xorMask: UInt8)
        /// The register always reads `value` and ignores writes (a latched or damaged register).
        case stuckRegister(UInt8, value: UInt8)
    }

    /// Which attempts the fault hits: attempt numbers `first`, `first + period`, … while below `first + count`
    /// (`count` nil = forever).
    public struct Window: Hashable, Sendable {
        public var first: UInt64
        public var count: UInt64?
        public var period: UInt64

        public init(first: UInt64 = 0, count: UInt64? = nil, period: UInt64 = 1) {
            self.first = first
            self.count = count
            self.period = max(1, period)
        }

        public static let always = Window()

        /// The next `count` attempts.
        public static func next(_ count: UInt64) -> Window { Window(first: 0, count: count) }

        func contains(_ attempt: UInt64) -> Bool {
            guard attempt >= first else { return false }
            if let count, attempt - first >= count { return false }
            return (attempt - first) % period == 0
        }
    }

    public var address: UInt8
    public var effect: Effect
    public var window: Window

    public init(address: UInt8, effect: Effect, window: Window = .always) {
        self.address = address
        self.effect = effect
        self.window = window
    }
}
