/// PWM channels of one Linux PWM chip through sysfs (`/sys/class/pwm/pwmchipN/pwmM/{period,duty_cycle,enable}`).
///
/// The sysfs root is configurable so tests can run against a temp directory laid out like sysfs. Set-up exports
/// the channels, sets the period and parks every channel at its safe value with the output disabled; per-tick
/// updates are one pwrite to an already open `duty_cycle` file.
public final class SysfsPWMOutputs: PWMOutputs {
    public let chipPath: String
    public let periodNs: UInt64
    public let config: PWMBankConfig
    public var channelCount: Int { dutyCycle.count }

    private let dutyCycle: [SysfsAttribute]
    private let enable: [SysfsAttribute]
    private var closed = false

    /// - Parameters:
    ///   - chip: the N in pwmchipN.
    ///   - channels: the M of each pwmM used, in bank order; `config.safePulseUs` must have one entry per channel.
    ///   - exportTimeoutUs: how long to wait for udev to create and chmod a freshly exported channel.
    public init(sysfsRoot: String = "/sys/class/pwm", chip: Int, channels: [Int], config: PWMBankConfig,
                clock: MonotonicClock, exportTimeoutUs: UInt64 = 1_000_000) throws(DeviceError)
    {
        let chipPath = "\(sysfsRoot)/pwmchip\(chip)"
        self.chipPath = chipPath
        self.config = config
        guard config.frequencyHz.isFinite, config.frequencyHz >= 1, config.frequencyHz <= 100_000 else {
            throw DeviceError.invalidRequest(.pwm, path: chipPath, detail: "frequency must be 1...100000 Hz")
        }
        guard config.safePulseUs.count == channels.count else {
            throw DeviceError.invalidRequest(
                .pwm, path: chipPath,
                detail: "\(channels.count) channels but \(config.safePulseUs.count) safe pulse widths")
        }
        let periodNs = UInt64((1e9 / config.frequencyHz).rounded())
        self.periodNs = periodNs
        guard SysfsAttribute.exists(chipPath) else { throw DeviceError.missing(.pwm, path: chipPath) }

        var dutyCycle: [SysfsAttribute] = []
        var enable: [SysfsAttribute] = []
        do throws(DeviceError) {
            for (index, channel) in channels.enumerated() {
                let channelPath = "\(chipPath)/pwm\(channel)"
                if !SysfsAttribute.exists(channelPath) {
                    try SysfsAttribute.writeOnce(path: "\(chipPath)/export", text: "\(channel)\n")
                }
                // The kernel creates the attribute files, then udev gives them the gpio group a moment later: a
                // non-root daemon that opens them at once gets EACCES. Wait until all three can be written.
                let files = ["period", "duty_cycle", "enable"].map { "\(channelPath)/\($0)" }
                var waitedUs: UInt64 = 0
                while !files.allSatisfy(SysfsAttribute.isWritable) && waitedUs < exportTimeoutUs {
                    clock.sleep(durationUs: 10_000)
                    waitedUs += 10_000
                }
                guard SysfsAttribute.exists(channelPath) else { throw DeviceError.missing(.pwm, path: channelPath) }
                if let locked = files.first(where: { !SysfsAttribute.isWritable($0) }) {
                    throw SysfsAttribute.exists(locked)
                        ? DeviceError.permissionDenied(.pwm, path: locked) : DeviceError.missing(.pwm, path: locked)
                }
                let enableFile = try SysfsAttribute(path: files[2])
                enable.append(enableFile)
                let duty = try SysfsAttribute(path: files[1])
                dutyCycle.append(duty)
                let period = try SysfsAttribute(path: files[0])
                defer { period.close() }
                let plan = SysfsPWMSetup.plan(
                    currentPeriodNs: SysfsAttribute.readNumber(path: files[0]) ?? 0,
                    currentDutyNs: SysfsAttribute.readNumber(path: files[1]) ?? 0, periodNs: periodNs,
                    safeDutyNs: Self.dutyNs(pulseUs: config.safePulseUs[index], periodNs: periodNs))
                for step in plan {
                    switch step.attribute {
                    case .period: try period.write(step.value)
                    case .dutyCycle: try duty.write(step.value)
                    case .enable: try enableFile.write(step.value)
                    }
                }
            }
        } catch {
            for file in dutyCycle + enable { file.close() }
            throw error
        }
        self.dutyCycle = dutyCycle
        self.enable = enable
    }

    deinit { close() }

    /// Stops the pulses and closes the files. The channels stay exported.
    public func close() {
        guard !closed else { return }
        closed = true
        for file in enable { try? file.write(0) }
        for file in dutyCycle + enable { file.close() }
    }

    public func safePulseUs(channel: Int) -> UInt16 {
        guard channel >= 0, channel < config.safePulseUs.count else { return 0 }
        return config.safePulseUs[channel]
    }

    public func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        guard channel >= 0, channel < dutyCycle.count else {
            throw DeviceError.invalidRequest(.pwm, path: chipPath, detail: "channel index out of range")
        }
        try dutyCycle[channel].write(Self.dutyNs(pulseUs: pulseUs, periodNs: periodNs))
    }

    public func setEnabled(_ enabled: Bool) throws(DeviceError) {
        for file in enable { try file.write(enabled ? 1 : 0) }
    }

    static func dutyNs(pulseUs: UInt16, periodNs: UInt64) -> UInt64 {
        min(UInt64(pulseUs) * 1_000, periodNs)
    }
}
