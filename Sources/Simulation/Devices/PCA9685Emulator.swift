import DeviceIO

/// NXP PCA9685 16-channel PWM controller at register level (datasheet rev. 4, section 7): MODE1 with SLEEP,
/// auto-increment and RESTART, PRE_SCALE writable only while asleep, LEDn_ON/OFF with the full-on and full-off
/// bits, ALL_LED broadcast, and the oscillator start-up time after waking.
///
/// The plant reads back what a servo would see on each output: `pulseUs(channel:)` and `frameRateHz`.
public final class PCA9685Emulator: EmulatedI2CChip {
    public struct Config: Hashable, Sendable {
        /// The internal oscillator (25 MHz nominal, a few per cent off on real parts).
        public var oscillatorHz: Double
        /// Time from clearing SLEEP to a running oscillator (datasheet: 500 µs max).
        public var oscillatorStartUs: UInt64

        public init(oscillatorHz: Double = 25_000_000, oscillatorStartUs: UInt64 = 500) {
            self.oscillatorHz = oscillatorHz
            self.oscillatorStartUs = oscillatorStartUs
        }
    }

    enum Register {
        static let mode1: UInt8 = 0x00
        static let mode2: UInt8 = 0x01
        static let led0OnLow: UInt8 = 0x06
        static let allLEDOnLow: UInt8 = 0xFA
        static let preScale: UInt8 = 0xFE
        static let testMode: UInt8 = 0xFF
    }

    enum Mode1 {
        static let restart: UInt8 = 0x80
        static let autoIncrement: UInt8 = 0x20
        static let sleep: UInt8 = 0x10
    }

    public static let channelCount = 16

    public let config: Config
    private let clock: MonotonicClock
    private var registers = RegisterFile()
    private var awakeSinceUs: UInt64?
    /// PWM was running when SLEEP was set, so RESTART reads 1 (datasheet 7.3.1.1).
    private var pwmWasRunning = false
    /// The active-low OE pin is high: every output is off whatever the registers hold (datasheet 7.4, OUTNE = 00).
    /// A board without the pin wired keeps it low (the breakouts pull it down).
    public var outputEnablePinHigh = false

    public init(config: Config = Config(), clock: MonotonicClock) {
        self.config = config
        self.clock = clock
        powerOnReset()
    }

    /// Power-on state: MODE1 = SLEEP | ALLCALL, MODE2 = OUTDRV, PRE_SCALE = 0x1E (200 Hz), every LED full-off.
    public func powerOnReset() {
        registers.reset()
        registers[Register.mode1] = 0x11
        registers[Register.mode2] = 0x04
        registers[Register.preScale] = 0x1E
        for channel in 0..<Self.channelCount {
            registers[Register.led0OnLow &+ UInt8(4 * channel + 3)] = 0x10
        }
        registers[Register.allLEDOnLow + 3] = 0x10
        awakeSinceUs = nil
        pwmWasRunning = false
    }

    public var isSleeping: Bool { registers[Register.mode1] & Mode1.sleep != 0 }

    /// True once the oscillator has run for its start-up time.
    public var oscillatorRunning: Bool {
        guard !isSleeping, let since = awakeSinceUs else { return false }
        return clock.nowUs() &- since >= config.oscillatorStartUs
    }

    /// update_rate = osc / (4096 · (PRE_SCALE + 1)) (datasheet equation 1).
    public var frameRateHz: Double {
        config.oscillatorHz / (4096 * (Double(registers[Register.preScale]) + 1))
    }

    public func register(_ register: UInt8) -> UInt8 { registers[register] }

    /// The pulse a servo on `channel` sees now, in µs: 0 when the output is off (sleeping oscillator, full-off,
    /// ON = OFF), the whole frame when full-on.
    public func pulseUs(channel: Int) -> Double {
        guard channel >= 0, channel < Self.channelCount, oscillatorRunning, !outputEnablePinHigh else { return 0 }
        let base = Register.led0OnLow &+ UInt8(4 * channel)
        let onHigh = registers[base &+ 1], offHigh = registers[base &+ 3]
        let periodUs = 1_000_000 / frameRateHz
        if offHigh & 0x10 != 0 { return 0 }  // full-off wins over full-on
        if onHigh & 0x10 != 0 { return periodUs }
        let on = Int(registers[base]) | Int(onHigh & 0x0F) << 8
        let off = Int(registers[base &+ 2]) | Int(offHigh & 0x0F) << 8
        let highCounts = (off - on + 4096) % 4096
        return Double(highCounts) * periodUs / 4096
    }

    // MARK: EmulatedI2CChip

    public var autoIncrement: Bool { registers[Register.mode1] & Mode1.autoIncrement != 0 }

    public func readRegister(_ register: UInt8) -> UInt8 {
        switch register {
        case Register.mode1:
            // RESTART reads 1 from the moment PWM was put to sleep until a 1 is written to it.
            return registers[register] & ~Mode1.restart | (pwmWasRunning ? Mode1.restart : 0)
        case Register.allLEDOnLow...Register.allLEDOnLow + 3:
            return 0  // ALL_LED registers read back as zero
        default:
            return registers[register]
        }
    }

    public func writeRegister(_ register: UInt8, value: UInt8) {
        switch register {
        case Register.mode1:
            let wasSleeping = isSleeping
            let goesToSleep = value & Mode1.sleep != 0
            if !wasSleeping && goesToSleep && anyOutputActive {
                pwmWasRunning = true
            }
            if value & Mode1.restart != 0 && !goesToSleep {
                pwmWasRunning = false  // writing 1 to RESTART restarts the PWM and clears the bit
            }
            registers[register] = value & ~Mode1.restart
            if wasSleeping && !goesToSleep { awakeSinceUs = clock.nowUs() }
            if goesToSleep { awakeSinceUs = nil }
        case Register.preScale:
            if isSleeping { registers[register] = value }  // blocked while the oscillator runs
        case Register.allLEDOnLow...Register.allLEDOnLow + 3:
            let offset = register - Register.allLEDOnLow
            for channel in 0..<Self.channelCount {
                registers[Register.led0OnLow &+ UInt8(4 * channel) &+ offset] = value
            }
        case Register.testMode:
            return  // reserved; writing it can lock the part up, so the emulator ignores it
        default:
            registers[register] = value
        }
    }

    private var anyOutputActive: Bool {
        for channel in 0..<Self.channelCount where registers[Register.led0OnLow &+ UInt8(4 * channel + 3)] & 0x10 == 0 {
            return true
        }
        return false
    }
}
