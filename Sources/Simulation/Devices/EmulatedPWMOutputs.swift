import DeviceIO

/// A `PWMOutputs` bank that only records what it is told (for boards whose servos sit on SoC PWM channels):
/// the plant reads `pulseUs(channel:)` as a servo would see it, 0 while the outputs are disabled.
public final class EmulatedPWMOutputs: PWMOutputs {
    public let config: PWMBankConfig
    /// Serialises the supervisor's writer (`safeWriter()`) with the bank's owner, as the kernel's PWM core does.
    public let adapterLock = EmulatedAdapterLock()
    private var commandedUs: [UInt16]
    public private(set) var enabled = false
    /// Fails every call while set (a chip that vanished, a sysfs write error).
    public var failure: DeviceError?

    public init(config: PWMBankConfig) {
        self.config = config
        commandedUs = config.safePulseUs
    }

    public var channelCount: Int { commandedUs.count }

    public func safePulseUs(channel: Int) -> UInt16 {
        guard channel >= 0, channel < config.safePulseUs.count else { return 0 }
        return config.safePulseUs[channel]
    }

    public func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        if let failure { throw failure }
        guard channel >= 0, channel < commandedUs.count else {
            throw DeviceError.invalidRequest(.pwm, path: "emulated PWM", detail: "channel \(channel) is not configured")
        }
        // Like sysfs PWM: a width longer than the frame is clamped to the frame.
        let frameUs = config.frequencyHz > 0 ? 1_000_000 / config.frequencyHz : 0
        adapterLock.withLock { commandedUs[channel] = UInt16(min(Double(pulseUs), frameUs)) }
    }

    public func setEnabled(_ enabled: Bool) throws(DeviceError) {
        if let failure { throw failure }
        adapterLock.withLock { self.enabled = enabled }
    }

    public func pulseUs(channel: Int) -> Double {
        adapterLock.withLock {
            guard enabled, channel >= 0, channel < commandedUs.count else { return 0 }
            return Double(commandedUs[channel])
        }
    }

    /// The supervisor's own writer of this bank's safe pulses, as `SysfsPWMSafeWriter` is on a board (it writes
    /// `duty_cycle` only, never `enable`). Engages the lock: make it before the supervisor thread starts.
    public func safeWriter() -> any SafePulseWriter {
        adapterLock.engage()
        return SafeWriter(bank: self)
    }

    private final class SafeWriter: SafePulseWriter {
        let bank: EmulatedPWMOutputs
        init(bank: EmulatedPWMOutputs) { self.bank = bank }

        func writeSafePulses() throws(DeviceError) {
            if let failure = bank.failure { throw failure }
            bank.adapterLock.withLock {
                for channel in bank.commandedUs.indices { bank.commandedUs[channel] = bank.config.safePulseUs[channel] }
            }
        }
    }
}
