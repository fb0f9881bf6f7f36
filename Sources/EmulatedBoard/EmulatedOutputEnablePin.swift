import DeviceIO
import Simulation

/// The GPIO line wired to the emulated PCA9685's active-low OE pin: active = outputs disabled (pin high). It takes
/// the chip's bus lock, since the supervisor drives it while the real-time thread uses the chip.
final class EmulatedOutputEnablePin: DigitalOutput {
    private let chip: PCA9685Emulator
    private let lock: EmulatedAdapterLock

    init(chip: PCA9685Emulator, lock: EmulatedAdapterLock) {
        self.chip = chip
        self.lock = lock
        lock.engage()
    }

    func setActive(_ active: Bool) throws(DeviceError) {
        lock.withLock { chip.outputEnablePinHigh = active }
    }

    func release() {}
}
