import DeviceIO

/// A GPIO input wired to one output of an emulated PCA9685: the edges of its pulse train, timed by the chip's own
/// oscillator (not the board file's idea of it), as the kernel would timestamp them. What `check-board
/// --calibrate-pwm` measures the oscillator with on an emulated board.
public final class PCA9685OutputProbe: DigitalInput {
    private let chip: PCA9685Emulator
    private let channel: Int
    private let clock: MonotonicClock
    /// Where the next frame starts, µs (fractional: frames are not whole microseconds).
    private var nextFrameUs: Double
    private var pendingFallUs: Double?

    public init(chip: PCA9685Emulator, channel: Int, clock: MonotonicClock) {
        self.chip = chip
        self.channel = channel
        self.clock = clock
        nextFrameUs = Double(clock.nowUs())
    }

    public func readLevel() throws(DeviceError) -> Bool {
        guard let fall = pendingFallUs else { return false }
        return Double(clock.nowUs()) < fall
    }

    public func nextEdge() throws(DeviceError) -> EdgeEvent? {
        let now = Double(clock.nowUs())
        if let fall = pendingFallUs, fall <= now {
            pendingFallUs = nil
            return EdgeEvent(timestampUs: UInt64(fall), isActive: false)
        }
        let pulseUs = chip.pulseUs(channel: channel)
        guard pulseUs > 0, chip.frameRateHz > 0 else {
            nextFrameUs = now
            return nil
        }
        guard pendingFallUs == nil, nextFrameUs <= now else { return nil }
        let rise = nextFrameUs
        nextFrameUs += 1_000_000 / chip.frameRateHz
        pendingFallUs = rise + pulseUs
        return EdgeEvent(timestampUs: UInt64(rise), isActive: true)
    }
}
