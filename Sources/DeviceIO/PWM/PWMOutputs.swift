/// A bank of servo/ESC outputs driven by pulse width.
///
/// Channels are numbered from 0 in the bank. A pulse width of 0 µs means "no pulses" (output held low), which
/// most ESCs treat as disarmed and most servos as limp. Setting pulses on the real-time path never allocates.
public protocol PWMOutputs: AnyObject {
    var channelCount: Int { get }
    /// The pulse width a channel falls back to when outputs are made safe (disarmed, switch SAFE, shutdown).
    func safePulseUs(channel: Int) -> UInt16
    /// Commands one channel. Widths beyond the frame period are clamped to it.
    func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError)
    /// Starts or stops the pulse train on every channel (stopped = no pulses at all).
    func setEnabled(_ enabled: Bool) throws(DeviceError)
    /// From here until `commitBatch`, `setPulseWidth` only records the pulse; `commitBatch` then writes every
    /// channel recorded in as few bus transfers as the device allows (the PCA9685: one auto-increment block write).
    /// The flight loop's output write of a tick is one batch. Banks without a cheaper path write at once.
    func beginBatch()
    /// Writes what the batch recorded and ends it.
    func commitBatch() throws(DeviceError)
    /// Times the device was found reset (its configuration lost to a supply dip) and configured again.
    var reconfigurations: UInt64 { get }
}

extension PWMOutputs {
    public func beginBatch() {}
    public func commitBatch() throws(DeviceError) {}
    public var reconfigurations: UInt64 { 0 }

    /// Commands every channel to its safe pulse width.
    public func applySafeValues() throws(DeviceError) {
        for channel in 0..<channelCount {
            try setPulseWidth(channel: channel, pulseUs: safePulseUs(channel: channel))
        }
    }
}

/// Frame rate and per-channel safe values of an output bank.
public struct PWMBankConfig: Hashable, Sendable {
    /// Frame rate: 50 Hz for analog servos, up to 400 Hz for digital servos and ESCs.
    public var frequencyHz: Double
    /// One safe pulse width per channel (e.g. 1500 µs for surfaces, 1000 µs or 0 for throttle).
    public var safePulseUs: [UInt16]

    public init(frequencyHz: Double, safePulseUs: [UInt16]) {
        self.frequencyHz = frequencyHz
        self.safePulseUs = safePulseUs
    }
}
