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
