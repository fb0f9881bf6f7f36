import DeviceIO

/// The supervisor's own way to a PCA9685's safe pulses: LEDn registers written through a bus handle of its own
/// (`BoardHardware.supervisorI2CBus`: its own file descriptor, so its own slave address and no Swift state shared
/// with the real-time thread's driver). It does not configure the chip: the flight driver did, and the frame rate
/// it set (from the same oscillator and frequency) gives the counts.
public final class PCA9685SafeWriter<Bus: I2CBus>: SafePulseWriter {
    public let device: I2CDevice<Bus>
    /// The LEDn_OFF count of each hardware channel 0…n-1 (0 = full off).
    public let safeOffCounts: [UInt16]

    public init(bus: Bus, address: UInt8, config: PCA9685Config) throws(DriverError) {
        guard let preScale = PCA9685<Bus>.preScale(frequencyHz: config.bank.frequencyHz, oscillatorHz: config.oscillatorHz),
              (1...PCA9685<Bus>.channelLimit).contains(config.bank.safePulseUs.count)
        else {
            throw .invalidConfiguration(chip: "PCA9685", detail: "frame rate 24...1526 Hz and 1...16 channels")
        }
        device = I2CDevice(bus: bus, address: address)
        let countsPerUs = 4096 * (config.oscillatorHz / (4096 * (Double(preScale) + 1))) / 1_000_000
        safeOffCounts = config.bank.safePulseUs.map { PCA9685<Bus>.offCount(pulseUs: $0, countsPerUs: countsPerUs) }
    }

    /// One 4-byte LEDn write per channel; every channel is tried, the first failure reported after the rest.
    public func writeSafePulses() throws(DeviceError) {
        var firstFailure: DeviceError?
        for (channel, count) in safeOffCounts.enumerated() {
            var registers = PCA9685<Bus>.ledRegisters(offCount: count)
            let register = PCA9685Register.led0OnLow &+ UInt8(truncatingIfNeeded: channel) &* 4
            do {
                try withUnsafeBytes(of: &registers) { bytes throws(DeviceError) in try device.writeBlock(register, bytes) }
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
    }
}
