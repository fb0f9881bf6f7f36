import DeviceIO

/// NXP PCA9685 register addresses and bits (datasheet rev. 4, section 7.3).
enum PCA9685Register {
    static let mode1: UInt8 = 0x00
    static let mode2: UInt8 = 0x01
    static let led0OnLow: UInt8 = 0x06  // LEDn_ON_L/H, LEDn_OFF_L/H at 0x06 + 4n
    static let allLEDOnLow: UInt8 = 0xFA
    static let allLEDOffHigh: UInt8 = 0xFD
    static let preScale: UInt8 = 0xFE

    static let restart: UInt8 = 0x80  // MODE1
    static let autoIncrement: UInt8 = 0x20  // MODE1
    static let sleep: UInt8 = 0x10  // MODE1
    static let allCall: UInt8 = 0x01  // MODE1
    static let totemPole: UInt8 = 0x04  // MODE2 OUTDRV
    static let fullOnOff: UInt8 = 0x10  // bit 4 of LEDn_ON_H / LEDn_OFF_H
}

public struct PCA9685Config: Hashable, Sendable {
    public var bank: PWMBankConfig
    /// The internal oscillator is 25 MHz nominal (±~3 % part to part); calibrate per board if pulse accuracy matters.
    public var oscillatorHz: Double

    public init(bank: PWMBankConfig, oscillatorHz: Double = 25_000_000) {
        self.bank = bank
        self.oscillatorHz = oscillatorHz
    }
}

/// The PCA9685 16-channel PWM expander as a `PWMOutputs` bank. Outputs start fully off; `setEnabled(true)`
/// starts the pulses last commanded (initially the safe ones); `stop()` turns every output fully off.
///
/// Register check: a dip in the chip's supply resets it to its power-on state (asleep, every output off, 200 Hz,
/// auto-increment off) while it keeps acknowledging every write, so nothing else would tell: the servos and the ESC
/// get no pulse while the flight stack writes without an error. Every `registerCheckPeriod` commits, one commit
/// first reads MODE1; a chip found asleep or without auto-increment is configured again over two commits (SLEEP
/// with PRE_SCALE and MODE2, then awake with every channel rewritten), as PX4's drivers check and reset their chips.
public final class PCA9685<Bus: I2CBus>: PWMOutputs {
    public static var defaultAddress: UInt8 { 0x40 }
    public static var channelLimit: Int { 16 }

    public let device: I2CDevice<Bus>
    public let config: PCA9685Config
    public let preScale: UInt8
    /// The frame rate the prescaler actually produces.
    public let actualFrequencyHz: Double
    public var channelCount: Int { config.bank.safePulseUs.count }
    public private(set) var enabled = false
    public private(set) var health = SensorHealth()

    /// The commanded OFF count of each channel and the batch in progress: one stored value, so commanding a channel
    /// costs one exclusivity check (four did, a tick's writes about 700 instructions).
    private var commands: PCA9685Commands
    private let countsPerUs: Double
    /// Commits between two MODE1 checks (the owner sets it from its output rate: BoardDevices, 10 Hz).
    public var registerCheckPeriod = 40 {
        didSet { commitsUntilCheck = min(commitsUntilCheck, registerCheckPeriod) }
    }
    /// How often BoardDevices has the chip checked.
    public static var registerCheckRateHz: Double { 10 }
    private var commitsUntilCheck = 40  // start-up just configured it
    /// The chip was found reset and has been put back to sleep with its frame rate: wake it at the next commit.
    private var wakePending = false
    /// Times the chip was found in its power-on state and configured again.
    public private(set) var reconfigurations: UInt64 = 0

    /// Channels per auto-increment block write: 4 LED registers each, 32 bytes, SMBus's block limit.
    public static var channelsPerBlockWrite: Int { i2cBlockMaxBytes / 4 }

    /// The byte counts of the block writes that set channels `firstChannel...lastChannel` (`commitBatch`).
    public static func blockWrites(firstChannel: Int, lastChannel: Int) -> [Int] {
        guard firstChannel <= lastChannel else { return [] }
        var writes: [Int] = []
        var channel = firstChannel
        while channel <= lastChannel {
            let n = min(lastChannel - channel + 1, channelsPerBlockWrite)
            writes.append(4 * n)
            channel += n
        }
        return writes
    }

    /// PRE_SCALE = round(osc / (4096 · f)) − 1 (datasheet equation 1); nil outside the register's 3...255.
    public static func preScale(frequencyHz: Double, oscillatorHz: Double = 25_000_000) -> UInt8? {
        guard frequencyHz.isFinite, frequencyHz > 0, oscillatorHz.isFinite, oscillatorHz > 0 else { return nil }
        let value = (oscillatorHz / (4096 * frequencyHz)).rounded() - 1
        guard value >= 3, value <= 255 else { return nil }
        return UInt8(value)
    }

    public init(bus: Bus, address: UInt8 = 0x40, config: PCA9685Config, clock: MonotonicClock) throws(DriverError) {
        let device = I2CDevice(bus: bus, address: address)
        self.device = device
        self.config = config
        let frequencyHz = config.bank.frequencyHz
        guard frequencyHz >= 24, frequencyHz <= 1526,
              let preScale = Self.preScale(frequencyHz: frequencyHz, oscillatorHz: config.oscillatorHz)
        else {
            throw .invalidConfiguration(chip: "PCA9685", detail: "frame rate must be 24...1526 Hz (servos: 50...400)")
        }
        guard (1...Self.channelLimit).contains(config.bank.safePulseUs.count) else {
            throw .invalidConfiguration(chip: "PCA9685", detail: "1...16 channels")
        }
        self.preScale = preScale
        actualFrequencyHz = config.oscillatorHz / (4096 * (Double(preScale) + 1))
        countsPerUs = 4096 * actualFrequencyHz / 1_000_000
        let perUs = countsPerUs
        commands = PCA9685Commands(safeCounts: config.bank.safePulseUs.map { Self.offCount(pulseUs: $0, countsPerUs: perUs) })

        try onBus { () throws(DeviceError) in
            // PRE_SCALE is writable only while SLEEP is set; everything off before the oscillator starts.
            // Auto-increment is needed from here on: the 4-byte LED register writes rely on it.
            try device.writeByte(PCA9685Register.mode1, PCA9685Register.sleep | PCA9685Register.autoIncrement)
            try Self.writeAllOff(device)
            try device.writeByte(PCA9685Register.mode2, PCA9685Register.totemPole)
            try device.writeByte(PCA9685Register.preScale, preScale)
            try device.writeByte(PCA9685Register.mode1, PCA9685Register.autoIncrement)
        }
        clock.sleep(durationUs: 500)  // oscillator start-up
        let mode1 = try onBus { () throws(DeviceError) in try device.readByte(PCA9685Register.mode1) }
        if mode1 & PCA9685Register.restart != 0 {
            // PWM was running before the sleep: restart it (datasheet 7.3.1.1).
            try onBus { () throws(DeviceError) in
                try device.writeByte(PCA9685Register.mode1, PCA9685Register.autoIncrement | PCA9685Register.restart)
            }
        }
        let readBack = try onBus { () throws(DeviceError) in try device.readByte(PCA9685Register.preScale) }
        guard readBack == preScale else {
            throw .configurationNotApplied(chip: "PCA9685", bus: bus.busNumber, address: address,
                                           register: PCA9685Register.preScale)
        }
    }

    public func safePulseUs(channel: Int) -> UInt16 {
        guard channel >= 0, channel < config.bank.safePulseUs.count else { return 0 }
        return config.bank.safePulseUs[channel]
    }

    /// 12-bit OFF count for a pulse starting at count 0; 0 means fully off.
    public static func offCount(pulseUs: UInt16, countsPerUs: Double) -> UInt16 {
        let counts = (Double(pulseUs) * countsPerUs).rounded()
        return UInt16(min(max(counts, 0), 4096))
    }

    public func offCount(pulseUs: UInt16) -> UInt16 { Self.offCount(pulseUs: pulseUs, countsPerUs: countsPerUs) }

    /// Commands one channel. While disabled the value is remembered and sent on `setEnabled(true)`.
    public func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        let counts = offCount(pulseUs: pulseUs)
        switch commands.command(channel, offCount: counts) {
        case .notConfigured:
            throw DeviceError.invalidRequest(.pwm, path: "PCA9685 on I2C bus \(device.bus.busNumber)",
                                             detail: "channel \(channel) is not configured")
        case .batched: break
        case .now: if enabled { try writeChannel(channel, offCount: counts) }
        }
    }

    public func beginBatch() {
        commands.openBatch()
    }

    /// Writes the channels commanded in the batch, LEDlow…LEDhigh, in auto-increment block writes of up to 8
    /// channels (MODE1.AI is set at start-up): one transfer for a 4-servo airframe instead of four. Channels in
    /// between that were not commanded are written with their current values. While disabled nothing is written.
    public func commitBatch() throws(DeviceError) {
        var (low, high) = commands.closeBatch()
        let counts = commands.counts
        switch try checkRegisters() {
        case .configured: break
        case .reconfiguring: return
        case .woken: (low, high) = (0, commands.channelCount - 1)  // the reset left every output off
        }
        guard enabled, low >= 0 else { return }
        var channel = low
        do {
            try withDeviceScratchBytes(byteCount: i2cBlockMaxBytes, alignment: 1) { buffer throws(DeviceError) in
                while channel <= high {
                    let n = min(high - channel + 1, Self.channelsPerBlockWrite)
                    for i in 0..<n {
                        let r = Self.ledRegisters(offCount: counts[channel + i])
                        buffer[4 * i] = r.0; buffer[4 * i + 1] = r.1; buffer[4 * i + 2] = r.2; buffer[4 * i + 3] = r.3
                    }
                    let register = PCA9685Register.led0OnLow &+ UInt8(truncatingIfNeeded: channel) &* 4
                    try device.writeBlock(register, UnsafeRawBufferPointer(rebasing: buffer[0..<(4 * n)]))
                    channel += n
                }
            }
            health.recordSuccess()
        } catch {
            health.recordFailure()
            commitsUntilCheck = 0  // a chip that stopped answering may come back reset: check it first
            throw error
        }
    }

    enum RegisterState { case configured, reconfiguring, woken }

    /// The register check of `commitBatch` (see the type's note); a transfer that fails is the commit's failure and
    /// the check runs again at the next commit.
    private func checkRegisters() throws(DeviceError) -> RegisterState {
        do {
            if wakePending {
                // PRE_SCALE was written asleep one commit ago (a tick, far more than the oscillator's 500 µs).
                try device.writeByte(PCA9685Register.mode1, PCA9685Register.autoIncrement)
                wakePending = false
                commitsUntilCheck = registerCheckPeriod
                return .woken
            }
            guard commitsUntilCheck <= 0 else {
                commitsUntilCheck -= 1
                return .configured
            }
            let mode1 = try device.readByte(PCA9685Register.mode1)
            guard mode1 & (PCA9685Register.sleep | PCA9685Register.autoIncrement) != PCA9685Register.autoIncrement
            else {
                commitsUntilCheck = registerCheckPeriod
                return .configured
            }
            reconfigurations &+= 1
            try device.writeByte(PCA9685Register.mode1, PCA9685Register.sleep | PCA9685Register.autoIncrement)
            try device.writeByte(PCA9685Register.mode2, PCA9685Register.totemPole)
            try device.writeByte(PCA9685Register.preScale, preScale)
            wakePending = true
            return .reconfiguring
        } catch {
            health.recordFailure()
            throw error
        }
    }

    public func setEnabled(_ enabled: Bool) throws(DeviceError) {
        if enabled {
            let counts = commands.counts
            for channel in 0..<commands.channelCount {
                try writeChannel(channel, offCount: counts[channel])
            }
            self.enabled = true
        } else {
            self.enabled = false
            try stop()
        }
    }

    /// Every output fully off (no pulses), through the ALL_LED registers in one transfer.
    public func stop() throws(DeviceError) {
        enabled = false
        try Self.writeAllOff(device)
    }

    /// LEDn_ON = 0, LEDn_OFF = count; count 0 uses the full-off bit, 4096 the full-on bit.
    private func writeChannel(_ channel: Int, offCount: UInt16) throws(DeviceError) {
        var registers = Self.ledRegisters(offCount: offCount)
        let register = PCA9685Register.led0OnLow &+ UInt8(truncatingIfNeeded: channel) &* 4
        do {
            try withUnsafeBytes(of: &registers) { bytes throws(DeviceError) in try device.writeBlock(register, bytes) }
            health.recordSuccess()
        } catch {
            health.recordFailure()
            throw error
        }
    }

    /// LEDn_ON_L, _ON_H, _OFF_L, _OFF_H for a pulse of `offCount` counts from count 0.
    static func ledRegisters(offCount: UInt16) -> (UInt8, UInt8, UInt8, UInt8) {
        switch offCount {
        case 0: return (0, 0, 0, PCA9685Register.fullOnOff)
        case 4096...: return (0, PCA9685Register.fullOnOff, 0, 0)
        default: return (0, 0, UInt8(truncatingIfNeeded: offCount), UInt8(truncatingIfNeeded: offCount >> 8))
        }
    }

    private static func writeAllOff(_ device: I2CDevice<Bus>) throws(DeviceError) {
        var registers: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, PCA9685Register.fullOnOff)
        try withUnsafeBytes(of: &registers) { bytes throws(DeviceError) in
            try device.writeBlock(PCA9685Register.allLEDOnLow, bytes)
        }
    }
}

/// What a PCA9685 driver has commanded: each channel's OFF count, and the channels commanded since `openBatch`,
/// lowest to highest (−1: none yet).
struct PCA9685Commands {
    enum Disposition { case notConfigured, batched, now }

    private(set) var counts: InlineArray<16, UInt16>
    let channelCount: Int
    private var batchOpen = false
    private var lowChannel = -1
    private var highChannel = -1

    /// `safeCounts`: one per configured channel (1…16, checked by the driver).
    init(safeCounts: [UInt16]) {
        counts = InlineArray(repeating: 0)
        channelCount = min(safeCounts.count, 16)
        for channel in 0..<channelCount { counts[channel] = safeCounts[channel] }
    }

    /// Stores the channel's count: `.batched` inside a batch (written at its close), `.now` outside one.
    mutating func command(_ channel: Int, offCount: UInt16) -> Disposition {
        guard channel >= 0, channel < channelCount else { return .notConfigured }
        counts[channel] = offCount
        guard batchOpen else { return .now }
        lowChannel = lowChannel < 0 ? channel : min(lowChannel, channel)
        highChannel = max(highChannel, channel)
        return .batched
    }

    mutating func openBatch() {
        batchOpen = true
        lowChannel = -1
        highChannel = -1
    }

    /// Ends the batch; returns the lowest and highest channel commanded in it (−1, −1: none).
    mutating func closeBatch() -> (low: Int, high: Int) {
        defer {
            batchOpen = false
            lowChannel = -1
            highChannel = -1
        }
        return (lowChannel, highChannel)
    }
}
