/// One SMBus/I2C transfer as the wire sees it, counted in SCL clock periods ("bit times").
///
/// Every byte on the bus is 8 data bits plus the ACK/NACK bit: 9 bit times. START, repeated START and STOP each
/// take about one bit time (setup + hold at the standard's minimum timings). Inter-transfer gaps of the adapter
/// driver and clock stretching by the slave are not counted: the figures are a floor, not a ceiling.
public enum I2CTransfer: Hashable, Sendable {
    /// SMBus read byte data / I2C-block read: S, address+W, register, Sr, address+R, `bytes` data bytes, P.
    case readBlock(bytes: Int)
    /// SMBus write byte data / I2C-block write: S, address+W, register, `bytes` data bytes, P.
    case writeBlock(bytes: Int)
    /// Plain I2C read without a register phase (MS4525DO): S, address+R, `bytes` data bytes, P.
    case read(bytes: Int)

    static let bitsPerByte = 9
    static let bitsPerCondition = 1

    /// SCL periods the transfer occupies the bus.
    public var bitTimes: Int {
        switch self {
        case .readBlock(let n):
            // S + (addr, reg) + Sr + addr + n data + P
            return 3 * Self.bitsPerCondition + (3 + n) * Self.bitsPerByte
        case .writeBlock(let n):
            // S + (addr, reg) + n data + P
            return 2 * Self.bitsPerCondition + (2 + n) * Self.bitsPerByte
        case .read(let n):
            // S + addr + n data + P
            return 2 * Self.bitsPerCondition + (1 + n) * Self.bitsPerByte
        }
    }

    /// Data bytes moved (excluding address and register bytes).
    public var dataBytes: Int {
        switch self {
        case .readBlock(let n), .writeBlock(let n), .read(let n): return n
        }
    }

    /// Bus time at `clockHz`, µs.
    public func durationUs(clockHz: Double) -> Double { Double(bitTimes) * 1e6 / clockHz }
}

/// Where a bus's SCL frequency came from: read from the system, declared by an emulated board, or assumed.
public struct I2CBusClock: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// Read from this file (the adapter's device-tree `clock-frequency`).
        case system(path: String)
        /// An emulated bus, modelled at this speed.
        case emulated
        /// The board file's `[i2c] clock_hz`, where the system gives none.
        case boardFile
        /// Not known: the Raspberry Pi's default is assumed, and the report says so.
        case assumed(reason: String)
    }

    /// The Raspberry Pi's I2C controller runs at 100 kHz unless `dtparam=i2c_arm_baudrate=` says otherwise.
    public static let defaultHz = 100_000.0

    public var hz: Double
    public var source: Source

    public init(hz: Double, source: Source) {
        self.hz = hz
        self.source = source
    }

    public static func assumed(_ reason: String) -> I2CBusClock { I2CBusClock(hz: defaultHz, source: .assumed(reason: reason)) }

    /// A device-tree `clock-frequency` property: one big-endian u32 (Hz). Nil when it is not 4 bytes or is 0.
    public static func parseDeviceTreeHz<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Double? {
        guard bytes.count == 4 else { return nil }
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return value == 0 ? nil : Double(value)
    }

    public var description: String {
        let khz = hz / 1000
        let speed = khz == khz.rounded() ? "\(Int(khz)) kHz" : "\(khz) kHz"
        switch source {
        case .system(let path): return "\(speed) (read from \(path))"
        case .emulated: return "\(speed) (emulated bus)"
        case .boardFile: return "\(speed) (the board file's [i2c] clock_hz: the device tree gives none)"
        case .assumed(let reason): return "\(speed) (assumed: \(reason))"
        }
    }
}
