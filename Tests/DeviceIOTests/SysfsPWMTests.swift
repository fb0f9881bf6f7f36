import Testing
@testable import DeviceIO

@Suite struct SysfsPWMTests {
    /// pwmchip0 with channels 0 and 1 already exported, files as the kernel leaves them.
    func makeChip() -> TempTree {
        let tree = TempTree()
        tree.makeDirectory("pwmchip0")
        tree.write("pwmchip0/export", "")
        tree.write("pwmchip0/npwm", "2\n")
        for channel in 0..<2 {
            tree.makeDirectory("pwmchip0/pwm\(channel)")
            for attribute in ["period", "duty_cycle", "enable"] { tree.write("pwmchip0/pwm\(channel)/\(attribute)", "0\n") }
        }
        return tree
    }

    @Test func setUpWritesPeriodAndSafeDutyWithOutputsOff() throws {
        let tree = makeChip()
        let pwm = try SysfsPWMOutputs(
            sysfsRoot: tree.root, chip: 0, channels: [0, 1],
            config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500, 1000]), clock: ManualClock())
        #expect(pwm.channelCount == 2)
        #expect(pwm.periodNs == 20_000_000)
        #expect(tree.read("pwmchip0/pwm0/period") == "20000000\n")
        #expect(tree.read("pwmchip0/pwm0/duty_cycle") == "1500000\n")
        #expect(tree.read("pwmchip0/pwm1/duty_cycle") == "1000000\n")
        #expect(tree.read("pwmchip0/pwm0/enable") == "0\n")
        #expect(tree.read("pwmchip0/export") == "")
    }

    @Test func pulsesEnableAndClose() throws {
        let tree = makeChip()
        let pwm = try SysfsPWMOutputs(
            sysfsRoot: tree.root, chip: 0, channels: [0, 1],
            config: PWMBankConfig(frequencyHz: 400, safePulseUs: [1500, 0]), clock: ManualClock())
        #expect(tree.read("pwmchip0/pwm0/period") == "2500000\n")
        try pwm.setEnabled(true)
        #expect(tree.read("pwmchip0/pwm1/enable") == "1\n")
        try pwm.setPulseWidth(channel: 1, pulseUs: 1_987)
        #expect(tree.read("pwmchip0/pwm1/duty_cycle") == "1987000\n")
        // A shorter number must not leave digits of the previous one behind.
        try pwm.setPulseWidth(channel: 1, pulseUs: 900)
        #expect(tree.read("pwmchip0/pwm1/duty_cycle") == "900000\n")
        // Longer than the 2.5 ms frame: clamped to 100 % duty.
        try pwm.setPulseWidth(channel: 0, pulseUs: 3_000)
        #expect(tree.read("pwmchip0/pwm0/duty_cycle") == "2500000\n")
        try pwm.applySafeValues()
        #expect(tree.read("pwmchip0/pwm0/duty_cycle") == "1500000\n")
        #expect(tree.read("pwmchip0/pwm1/duty_cycle") == "0\n")
        #expect(throws: DeviceError.self) { try pwm.setPulseWidth(channel: 2, pulseUs: 1500) }
        pwm.close()
        #expect(tree.read("pwmchip0/pwm0/enable") == "0\n")
    }

    @Test func missingChipNamesTheOverlay() {
        let tree = TempTree()
        let error = #expect(throws: DeviceError.self) {
            _ = try SysfsPWMOutputs(
                sysfsRoot: tree.root, chip: 3, channels: [0],
                config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500]), clock: ManualClock())
        }
        #expect(error == .missing(.pwm, path: "\(tree.root)/pwmchip3"))
        #expect(error?.description.contains("dtoverlay=pwm") == true)
    }

    @Test func unexportedChannelIsExportedAndReportedWhenItNeverAppears() {
        let tree = makeChip()
        let clock = ManualClock()
        #expect(throws: DeviceError.missing(.pwm, path: "\(tree.root)/pwmchip0/pwm5")) {
            _ = try SysfsPWMOutputs(
                sysfsRoot: tree.root, chip: 0, channels: [5],
                config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500]), clock: clock,
                exportTimeoutUs: 200_000)
        }
        #expect(tree.read("pwmchip0/export") == "5\n")
        #expect(clock.nowUs() == 200_000)  // waited the whole bounded timeout, on the injected clock
    }

    @Test func configMismatchIsRejected() {
        let tree = makeChip()
        #expect(throws: DeviceError.self) {
            _ = try SysfsPWMOutputs(
                sysfsRoot: tree.root, chip: 0, channels: [0, 1],
                config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500]), clock: ManualClock())
        }
        #expect(throws: DeviceError.self) {
            _ = try SysfsPWMOutputs(
                sysfsRoot: tree.root, chip: 0, channels: [0],
                config: PWMBankConfig(frequencyHz: 0, safePulseUs: [1500]), clock: ManualClock())
        }
    }
}

/// The set-up order against the kernel's rule for sysfs PWM writes (pwm_apply_state: every write to period,
/// duty_cycle or enable is refused while the period is 0 or the duty cycle exceeds the period).
@Suite struct SysfsPWMSetupOrderTests {
    /// Applies the plan's writes to a channel the way the kernel does; returns the first refused write.
    static func firstRefused(_ plan: [SysfsPWMSetup.Write], periodNs: UInt64, dutyNs: UInt64)
        -> SysfsPWMSetup.Write? {
        var period = periodNs, duty = dutyNs
        for w in plan {
            var p = period, d = duty
            switch w.attribute {
            case .period: p = w.value
            case .dutyCycle: d = w.value
            case .enable: break
            }
            guard p != 0, d <= p else { return w }
            period = p
            duty = d
        }
        return nil
    }

    @Test func aFreshlyExportedPiChannelGetsItsPeriodFirst() {
        // The Raspberry Pi's driver exports a channel with period 0: the old order (enable 0, duty 0, period)
        // was refused at its first write.
        let plan = SysfsPWMSetup.plan(currentPeriodNs: 0, currentDutyNs: 0, periodNs: 20_000_000,
                                      safeDutyNs: 1_500_000)
        #expect(plan.first == .init(attribute: .period, value: 20_000_000))
        #expect(Self.firstRefused(plan, periodNs: 0, dutyNs: 0) == nil)
        let old: [SysfsPWMSetup.Write] = [.init(attribute: .enable, value: 0), .init(attribute: .dutyCycle, value: 0),
                                          .init(attribute: .period, value: 20_000_000)]
        #expect(Self.firstRefused(old, periodNs: 0, dutyNs: 0) == .init(attribute: .enable, value: 0))
    }

    @Test func everyStartingStateReachesTheSafeStateWithoutARefusedWrite() {
        let periods: [UInt64] = [0, 2_500_000, 3_000_000, 20_000_000, 50_000_000]
        for current in periods {
            for duty in [0, 1_000_000, 2_500_000, 19_000_000, 40_000_000] as [UInt64] where current == 0 ? duty == 0
                : duty <= current {
                for target in periods.dropFirst() {
                    let safe = min(1_500_000, target)
                    let plan = SysfsPWMSetup.plan(currentPeriodNs: current, currentDutyNs: duty, periodNs: target,
                                                  safeDutyNs: safe)
                    #expect(Self.firstRefused(plan, periodNs: current, dutyNs: duty) == nil,
                            "from \(current)/\(duty) to \(target)")
                    #expect(plan.last == .init(attribute: .dutyCycle, value: safe))
                    #expect(plan.contains(.init(attribute: .enable, value: 0)))
                }
            }
        }
    }

    @Test func setUpReadsTheChannelsStateAndLeavesItSafe() throws {
        // A channel left by an earlier run at 50 Hz with a 19 ms duty, set up for 400 Hz: the duty comes down before
        // the shorter period, and the channel ends at its safe duty, disabled.
        let tree = TempTree()
        tree.makeDirectory("pwmchip0")
        tree.makeDirectory("pwmchip0/pwm0")
        tree.write("pwmchip0/export", "")
        tree.write("pwmchip0/pwm0/period", "20000000\n")
        tree.write("pwmchip0/pwm0/duty_cycle", "19000000\n")
        tree.write("pwmchip0/pwm0/enable", "1\n")
        #expect(SysfsAttribute.readNumber(path: "\(tree.root)/pwmchip0/pwm0/duty_cycle") == 19_000_000)
        _ = try SysfsPWMOutputs(sysfsRoot: tree.root, chip: 0, channels: [0],
                                config: PWMBankConfig(frequencyHz: 400, safePulseUs: [1000]), clock: ManualClock())
        #expect(tree.read("pwmchip0/pwm0/period") == "2500000\n")
        #expect(tree.read("pwmchip0/pwm0/duty_cycle") == "1000000\n")
        #expect(tree.read("pwmchip0/pwm0/enable") == "0\n")
    }
}
