import FlightMath

/// TE MS4525DO differential pressure sensor as its I2C interface presents it: a register-less read of up to
/// four bytes — status (2 bits) and bridge pressure (14 bits), then temperature (11 bits, left-aligned).
///
/// Output type A maps the pressure range onto 10…90 % of 16383 counts, type B onto 5…95 %. Status is 00 for the
/// first read after a conversion and 10 ("stale") for every read after it until the next `feed`.
public final class MS4525DOEmulator: EmulatedI2CChip {
    public struct Config: Hashable, Sendable {
        public enum OutputType: Hashable, Sendable { case typeA, typeB }

        public var outputType: OutputType
        /// Differential range ±rangePsi (the "001PD" part is ±1 psi).
        public var rangePsi: Double
        /// Port 2 carries the pitot pressure: the sensor sees the differential pressure with the other sign.
        public var swapPorts: Bool

        public init(outputType: OutputType = .typeA, rangePsi: Double = 1, swapPorts: Bool = false) {
            self.outputType = outputType
            self.rangePsi = rangePsi
            self.swapPorts = swapPorts
        }
    }

    /// Status bits the part can report, for fault injection.
    public enum Status: UInt8, Hashable, Sendable {
        case normal = 0b00, commandMode = 0b01, stale = 0b10, fault = 0b11
    }

    public static let pascalsPerPsi = 6894.757293168361

    public let config: Config
    private var pressureCounts: UInt16 = 0
    private var temperatureCounts: UInt16 = 0
    private var fresh = false
    /// When set, every read reports this status (a diagnostic fault or a part left in command mode).
    public var forcedStatus: Status?
    /// Conversions that hit the ADC's ends.
    public private(set) var saturatedSamples: UInt64 = 0

    /// The part converts continuously from power-up: until the plant feeds it, it reads still air at 25 °C.
    public init(config: Config = Config()) {
        self.config = config
        feed(AirspeedSample(timestampUs: 0, differentialPressurePa: 0, temperatureC: 25))
    }

    public var counts: (pressure: UInt16, temperature: UInt16) { (pressureCounts, temperatureCounts) }

    /// One conversion of the physical differential pressure and temperature.
    public func feed(_ sample: AirspeedSample) {
        let (offset, span) = config.outputType == .typeA ? (0.10, 0.80) : (0.05, 0.90)
        let sensedPa = config.swapPorts ? -sample.differentialPressurePa : sample.differentialPressurePa
        let psi = sensedPa / Self.pascalsPerPsi
        let fraction = (psi + config.rangePsi) / (2 * config.rangePsi)
        let p = Self.clamp((offset + span * fraction) * 16383, max: 16383)
        let t = Self.clamp((sample.temperatureC + 50) * 2047 / 200, max: 2047)
        pressureCounts = p.value
        temperatureCounts = t.value
        if p.saturated || t.saturated { saturatedSamples &+= 1 }
        fresh = true
    }

    static func clamp(_ value: Double, max upper: UInt16) -> (value: UInt16, saturated: Bool) {
        guard !value.isNaN else { return (0, true) }
        let r = value.rounded()
        if r <= 0 { return (0, r < 0) }
        if r >= Double(upper) { return (upper, r > Double(upper)) }
        return (UInt16(r), false)
    }

    // MARK: EmulatedI2CChip

    private var statusOfThisRead: Status = .stale

    public func beginTransfer() {
        if let forced = forcedStatus {
            statusOfThisRead = forced
        } else {
            statusOfThisRead = fresh ? .normal : .stale
            fresh = false
        }
    }

    public func readWithoutRegister(byteIndex: Int) -> UInt8 {
        switch byteIndex {
        case 0: return statusOfThisRead.rawValue << 6 | UInt8(truncatingIfNeeded: pressureCounts >> 8) & 0x3F
        case 1: return UInt8(truncatingIfNeeded: pressureCounts)
        case 2: return UInt8(truncatingIfNeeded: temperatureCounts >> 3)
        case 3: return UInt8(truncatingIfNeeded: temperatureCounts << 5)
        default: return 0xFF
        }
    }

    // The part has no registers; an SMBus register transfer reads the same packet.
    public func readRegister(_ register: UInt8) -> UInt8 { readWithoutRegister(byteIndex: 0) }
    public func writeRegister(_ register: UInt8, value: UInt8) {}
}
