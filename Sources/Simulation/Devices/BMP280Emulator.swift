import DeviceIO
import FlightMath

/// Bosch BMP280 at register level (datasheet BST-BMP280-DS001 section 4): chip id 0x58, soft reset with the
/// NVM copy (status.im_update), trimming registers, ctrl_meas/config as written, power modes, skipped
/// measurements (0x80000) and the 20-bit data registers.
///
/// `feed` turns a physical pressure and temperature into the raw adc_T and adc_P that the datasheet
/// compensation maps back onto them (numerical inversion, see `BMP280Trimming.invert`), at the resolution the
/// oversampling setting gives (16 + osrs − 1 bits), then runs the codes through the IIR filter the config
/// register selects, once per conversion (section 3.3.3), as the real driver sets it.
public final class BMP280Emulator: EmulatedI2CChip {
    public struct Config: Hashable, Sendable {
        public var trimming: BMP280Trimming
        public var chipID: UInt8
        /// How long status.im_update stays set after a reset (NVM copy).
        public var nvmCopyDurationUs: UInt64

        public init(trimming: BMP280Trimming = .datasheetExample, chipID: UInt8 = 0x58,
                    nvmCopyDurationUs: UInt64 = 1_000)
        {
            self.trimming = trimming
            self.chipID = chipID
            self.nvmCopyDurationUs = nvmCopyDurationUs
        }
    }

    enum Register {
        static let calibration: UInt8 = 0x88
        static let chipID: UInt8 = 0xD0
        static let reset: UInt8 = 0xE0
        static let status: UInt8 = 0xF3
        static let controlMeasurement: UInt8 = 0xF4
        static let config: UInt8 = 0xF5
        static let pressureMSB: UInt8 = 0xF7
        static let temperatureMSB: UInt8 = 0xFA
    }

    /// What the ADC reports for a measurement switched off by oversampling code 0.
    public static let skippedADC: Int32 = 0x80000

    public let config: Config
    private let clock: MonotonicClock
    private var registers = RegisterFile()
    private var nvmCopyUntilUs: UInt64 = 0
    public private(set) var resetCount = 0
    public private(set) var conversions: UInt64 = 0
    /// Feeds that arrived while a normal-mode conversion was still running (the chip had no new result for them).
    public private(set) var feedsDuringConversion: UInt64 = 0
    /// When the running normal-mode conversion finishes: the chip's own timeline, one period after the last.
    private var nextConversionDueUs: UInt64?
    /// The IIR filter's memory (pressure and temperature codes, unrounded); nil until the first conversion after a
    /// reset.
    private var filteredADCP: Double?
    private var filteredADCT: Double?
    /// The raw codes of the last conversion.
    public private(set) var lastADC: (temperature: Int32, pressure: Int32) = (skippedADC, skippedADC)

    public init(config: Config = Config(), clock: MonotonicClock) {
        self.config = config
        self.clock = clock
        powerOnReset()
    }

    public func powerOnReset() {
        registers.reset()
        filteredADCP = nil
        filteredADCT = nil
        let bytes = config.trimming.registerBytes
        for (i, b) in bytes.enumerated() { registers[Register.calibration &+ UInt8(i)] = b }
        registers[Register.chipID] = config.chipID
        store(adcP: Self.skippedADC, adcT: Self.skippedADC)
    }

    private func store(adcP: Int32, adcT: Int32) {
        func put(_ register: UInt8, _ code: Int32) {
            let v = UInt32(bitPattern: code) & 0xFFFFF
            registers[register] = UInt8(truncatingIfNeeded: v >> 12)
            registers[register &+ 1] = UInt8(truncatingIfNeeded: v >> 4)
            registers[register &+ 2] = UInt8(truncatingIfNeeded: (v & 0x0F) << 4)
        }
        put(Register.pressureMSB, adcP)
        put(Register.temperatureMSB, adcT)
        lastADC = (adcT, adcP)
    }

    // MARK: Configuration as the chip sees it

    /// Power mode bits of ctrl_meas: 0 sleep, 1/2 forced, 3 normal.
    public var mode: UInt8 { registers[Register.controlMeasurement] & 0x03 }
    public var temperatureOversampling: UInt8 { registers[Register.controlMeasurement] >> 5 }
    public var pressureOversampling: UInt8 { registers[Register.controlMeasurement] >> 2 & 0x07 }
    public var iirFilter: UInt8 { registers[Register.config] >> 2 & 0x07 }
    /// The IIR filter coefficient of config.filter (datasheet 3.3.3: off, 2, 4, 8, 16; codes above 4 act as 16).
    public var iirCoefficient: Int { iirFilter == 0 ? 1 : 1 << Int(min(iirFilter, 4)) }
    /// The factor the IIR filter scales white pressure noise by: for y ← ((c − 1)·y + x)/c the stationary variance is
    /// σ²/(2c − 1) (c = 16: 0.18; its step response takes 22 conversions to 75 %, as the datasheet's filter table says).
    public static func iirNoiseFactor(coefficient c: Int) -> Double { (1 / Double(2 * max(c, 1) - 1)).squareRoot() }

    /// Normal-mode period: typical measurement time (datasheet 3.8.1: 1 + 2·T_osr + 2·P_osr + 0.5 ms, with
    /// ×N counting N) plus the standby time t_sb.
    public var normalModePeriodUs: UInt64 {
        func times(_ code: UInt8) -> Double { code == 0 ? 0 : Double(1 << Int(min(code, 5) - 1)) }
        let measureMs = 1.0 + 2.0 * times(temperatureOversampling) + 2.0 * times(pressureOversampling)
            + (pressureOversampling == 0 ? 0 : 0.5)
        let standbyMs: [Double] = [0.5, 62.5, 125, 250, 500, 1000, 2000, 4000]
        let standby = standbyMs[Int(registers[Register.config] >> 5)]
        return UInt64(((measureMs + standby) * 1000).rounded())
    }

    public func register(_ register: UInt8) -> UInt8 { registers[register] }

    // MARK: Plant side

    /// One conversion of the physical sample, if the chip is measuring (normal mode, or forced mode once). In
    /// normal mode the chip finishes one conversion per `normalModePeriodUs` (26.3 Hz for ×16/×2, standby 0.5 ms)
    /// on its own timeline: a feed before the running conversion is due finds it still measuring and changes
    /// nothing; the first feed at or after it completes the conversion with the physical values it brings.
    public func feed(_ sample: BaroSample) {
        guard mode != 0 else { return }
        if mode == 3 {
            let nowUs = clock.nowUs()
            let period = max(normalModePeriodUs, 1)
            if let due = nextConversionDueUs {
                if nowUs < due {
                    feedsDuringConversion &+= 1
                    return
                }
                // Fed late by less than a period: the timeline keeps its phase; after a longer gap it restarts.
                nextConversionDueUs = nowUs - due < period ? due + period : nowUs + period
            } else {
                nextConversionDueUs = nowUs + period
            }
        }
        if mode != 3 { registers[Register.controlMeasurement] &= ~0x03 }  // forced: back to sleep after one
        let trimming = config.trimming
        var adcT = Self.skippedADC
        var adcP = Self.skippedADC
        if temperatureOversampling != 0 {
            adcT = BMP280Trimming.invert(target: sample.temperatureC, step: Self.step(temperatureOversampling)) {
                trimming.temperatureC(adcT: $0).celsius
            }
            let tFine = trimming.temperatureC(adcT: adcT).tFine
            if pressureOversampling != 0 {
                adcP = BMP280Trimming.invert(target: sample.pressurePa,
                                             step: Self.step(pressureOversampling)) {
                    trimming.pressurePa(adcP: $0, tFine: tFine)
                }
                adcP = Self.iirFiltered(adcP, coefficient: iirCoefficient, memory: &filteredADCP)
            }
            // Both results go through the filter: compensating a filtered pressure code with an unfiltered
            // temperature would turn the temperature's noise into pressure noise.
            adcT = Self.iirFiltered(adcT, coefficient: iirCoefficient, memory: &filteredADCT)
        }
        conversions &+= 1
        store(adcP: adcP, adcT: adcT)
    }

    /// Datasheet 3.3.3: filtered = (filtered_old · (c − 1) + adc) / c on every conversion, the first one after a
    /// reset taken as it is; the output keeps the filter's 20 bits.
    static func iirFiltered(_ code: Int32, coefficient: Int, memory: inout Double?) -> Int32 {
        let c = Double(coefficient)
        guard c > 1 else {
            memory = nil
            return code
        }
        let y = memory.map { ($0 * (c - 1) + Double(code)) / c } ?? Double(code)
        memory = y
        return Int32(y.rounded())
    }

    /// Code step of the ADC: 16-bit at ×1 up to 20-bit at ×16 (datasheet tables 4 and 5); the IIR filter's
    /// output has 20 bits whatever its input had (section 3.3.3).
    static func step(_ oversampling: UInt8) -> Int32 {
        let bits = 15 + Int(min(max(oversampling, 1), 5))
        return Int32(1) << (20 - bits)
    }

    // MARK: EmulatedI2CChip

    public func readRegister(_ register: UInt8) -> UInt8 {
        switch register {
        case Register.status:
            let copying: UInt8 = clock.nowUs() < nvmCopyUntilUs ? 0x01 : 0
            return copying
        case Register.reset:
            return 0
        default:
            return registers[register]
        }
    }

    public func writeRegister(_ register: UInt8, value: UInt8) {
        switch register {
        case Register.reset:
            guard value == 0xB6 else { return }  // any other value has no effect
            resetCount += 1
            powerOnReset()
            nextConversionDueUs = nil
            nvmCopyUntilUs = clock.nowUs() &+ config.nvmCopyDurationUs
        case Register.controlMeasurement:
            registers[register] = value
            nextConversionDueUs = nil  // a mode change starts the conversion cycle again
        case Register.config:
            // Writes to config may be ignored in normal mode (datasheet 5.4.6); in sleep they are kept.
            if mode != 3 { registers[register] = value }
        default:
            return  // trimming, id and data registers are read-only
        }
    }
}
