import CI2C
import DeviceIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SysfsPWMOutputs on a real kernel PWM chip: the kernel's own PCA9685 driver (pwm-pca9685, built out of tree into
/// the image) bound to a PCA9685 register file on i2c-stub. What Kestrel writes goes through the kernel's PWM core
/// and driver into the chip's registers, which are read back here past the driver's claim (I2C_SLAVE_FORCE).
/// Channels first...first+2 at 50 Hz, safe pulses 1500/1500/1000 µs; run as root, then as the packaged daemon's
/// user on three channels nobody exported yet (the udev rule must let it export and write them).
struct PWMChecks {
    let checks: Checks
    let chip: Int
    let busNumber: Int
    let address: UInt8
    let first: Int
    let clock = SystemMonotonicClock()

    private var channelPath: (Int) -> String { { "/sys/class/pwm/pwmchip\(chip)/pwm\($0)" } }

    func run() {
        let config = PWMBankConfig(frequencyHz: 50, safePulseUs: [1500, 1500, 1000])
        let channels = [first, first + 1, first + 2]
        let outputs: SysfsPWMOutputs
        let opened = "sysfs PWM: open pwmchip\(chip) channels \(first)...\(first + 2) at 50 Hz as uid \(getuid())"
        do {
            outputs = try SysfsPWMOutputs(chip: chip, channels: channels, config: config, clock: clock)
        } catch {
            checks.fail(opened, "\(error)")
            return
        }
        checks.check(opened, true)
        for (channel, safeNs) in zip(channels, ["1500000", "1500000", "1000000"]) {
            let period = readAttribute("\(channelPath(channel))/period")
            let duty = readAttribute("\(channelPath(channel))/duty_cycle")
            checks.check("sysfs PWM: pwm\(channel) period 20 ms, parked at its safe pulse, disabled",
                         period == "20000000" && duty == safeNs && readAttribute("\(channelPath(channel))/enable") == "0",
                         "period \(period ?? "?"), duty_cycle \(duty ?? "?")")
        }
        // The kernel driver sets the prescaler for the period: round(25 MHz / (4096 × 50 Hz)) − 1.
        checks.check("pwm-pca9685: PRE_SCALE 121 for 50 Hz", register(0xFE) == 121, "read \(register(0xFE) ?? 0xFFFF)")

        let enabled = thrownError { () throws(DeviceError) in try outputs.setEnabled(true) }
        checks.check("sysfs PWM: enable", enabled == nil && channels.allSatisfy {
            readAttribute("\(channelPath($0))/enable") == "1"
        }, "\(enabled.map { "\($0)" } ?? "enable does not read 1")")

        let pulses: [(index: Int, us: UInt16)] = [(0, 1100), (1, 1900), (2, 2000)]
        for p in pulses {
            let channel = channels[p.index]
            let error = thrownError { () throws(DeviceError) in try outputs.setPulseWidth(channel: p.index, pulseUs: p.us) }
            let duty = readAttribute("\(channelPath(channel))/duty_cycle")
            checks.check("sysfs PWM: pwm\(channel) \(p.us) µs is duty_cycle \(Int(p.us) * 1000) ns",
                         error == nil && duty == "\(Int(p.us) * 1000)", "\(error.map { "\($0)" } ?? "read \(duty ?? "?")")")
            // LEDn: ON at count 0, OFF at the pulse's share of the 4096 counts (the driver rounds up).
            let counts = Double(p.us) * 4096 / 20_000
            let base = UInt8(0x06 + 4 * channel)
            let on = wordAt(base), off = wordAt(base + 2)
            checks.check("pwm-pca9685: LED\(channel) ON 0, OFF \(Int(counts.rounded(.up))) counts for \(p.us) µs",
                         on == 0 && off.map { abs(Double($0) - counts) <= 1 } == true,
                         "ON \(on.map { "\($0)" } ?? "?"), OFF \(off.map { "\($0)" } ?? "?")")
        }
        let clamped = thrownError { () throws(DeviceError) in try outputs.setPulseWidth(channel: 0, pulseUs: 25_000) }
        checks.check("sysfs PWM: a pulse longer than the frame is clamped to the period",
                     clamped == nil && readAttribute("\(channelPath(first))/duty_cycle") == "20000000",
                     "\(clamped.map { "\($0)" } ?? "read \(readAttribute("\(channelPath(first))/duty_cycle") ?? "?")")")
        let outOfRange = thrownError { () throws(DeviceError) in try outputs.setPulseWidth(channel: 3, pulseUs: 1500) }
        checks.check("sysfs PWM: channel index 3 of 3 is refused",
                     { if case .invalidRequest? = outOfRange { true } else { false } }(), "\(String(describing: outOfRange))")

        outputs.close()
        let offHigh = UInt8(0x09 + 4 * first)
        checks.check("sysfs PWM: close stops the pulses (enable 0, LED\(first) full off)",
                     readAttribute("\(channelPath(first))/enable") == "0" && (register(offHigh).map { $0 & 0x10 != 0 } ?? false),
                     "enable \(readAttribute("\(channelPath(first))/enable") ?? "?"), LED\(first)_OFF_H \(register(offHigh) ?? 0xFFFF)")

        let missing = thrownError { () throws(DeviceError) in
            _ = try SysfsPWMOutputs(chip: chip + 50, channels: [0], config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500]),
                                    clock: clock)
        }
        checks.check("sysfs PWM: a missing chip names its path",
                     { if case .missing? = missing { "\(missing!)".contains("pwmchip\(chip + 50)") } else { false } }(),
                     "\(String(describing: missing))")
    }

    /// One register of the chip the kernel driver holds, or nil.
    private func register(_ register: UInt8) -> UInt16? {
        let fd = open("/dev/i2c-\(busNumber)", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard kestrel_i2c_force_slave_address(fd, UInt16(address)) == 0 else { return nil }
        let value = i2c_smbus_read_byte_data(fd, register)
        return value < 0 ? nil : UInt16(value)
    }

    /// A 12-bit LED count from its low and high registers (the full-on/off bit 4 of the high byte excluded).
    private func wordAt(_ low: UInt8) -> UInt16? {
        guard let l = register(low), let h = register(low + 1) else { return nil }
        return (h & 0x0F) << 8 | l
    }
}
