/// The supervisor's own way to the safe pulses of a sysfs PWM bank that `SysfsPWMOutputs` set up: its own open
/// `duty_cycle` files, so nothing is shared with the real-time thread's bank. It never exports a channel or touches
/// the period: if the bank is not set up there is nothing to make safe, and opening fails with the file's name.
public final class SysfsPWMSafeWriter: SafePulseWriter {
    public let chipPath: String
    private let dutyCycle: [SysfsAttribute]
    private let safeDutyNs: [UInt64]

    /// - Parameters match `SysfsPWMOutputs`'s, which must have set the bank up already.
    public init(sysfsRoot: String = "/sys/class/pwm", chip: Int, channels: [Int], config: PWMBankConfig)
        throws(DeviceError)
    {
        let chipPath = "\(sysfsRoot)/pwmchip\(chip)"
        self.chipPath = chipPath
        guard config.safePulseUs.count == channels.count, config.frequencyHz.isFinite, config.frequencyHz >= 1 else {
            throw DeviceError.invalidRequest(.pwm, path: chipPath, detail: "one safe pulse per channel and a frame rate")
        }
        let periodNs = UInt64((1e9 / config.frequencyHz).rounded())
        var files: [SysfsAttribute] = []
        for channel in channels {
            do {
                files.append(try SysfsAttribute(path: "\(chipPath)/pwm\(channel)/duty_cycle"))
            } catch {
                for file in files { file.close() }
                throw error
            }
        }
        dutyCycle = files
        safeDutyNs = config.safePulseUs.map { SysfsPWMOutputs.dutyNs(pulseUs: $0, periodNs: periodNs) }
    }

    deinit { for file in dutyCycle { file.close() } }

    /// Every channel is tried; the first failure is reported after the others were written.
    public func writeSafePulses() throws(DeviceError) {
        var firstFailure: DeviceError?
        for (file, duty) in zip(dutyCycle, safeDutyNs) {
            do { try file.write(duty) } catch { firstFailure = firstFailure ?? error }
        }
        if let firstFailure { throw firstFailure }
    }
}
