import Testing
@testable import DeviceIO

/// The supervisor's own `duty_cycle` files for a sysfs bank (issue 14, item 3): safe pulses without the bank object.
@Suite struct SysfsPWMSafeWriterTests {
    @Test func writesEverySafeDutyThroughItsOwnFilesAndLeavesEnableAlone() throws {
        let tree = SysfsPWMTests().makeChip()
        let bank = try SysfsPWMOutputs(
            sysfsRoot: tree.root, chip: 0, channels: [0, 1],
            config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500, 1000]), clock: ManualClock())
        try bank.setEnabled(true)
        try bank.setPulseWidth(channel: 0, pulseUs: 1_900)
        try bank.setPulseWidth(channel: 1, pulseUs: 1_700)
        let writer = try SysfsPWMSafeWriter(sysfsRoot: tree.root, chip: 0, channels: [0, 1],
                                            config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500, 1000]))
        try writer.writeSafePulses()
        #expect(tree.read("pwmchip0/pwm0/duty_cycle") == "1500000\n")
        #expect(tree.read("pwmchip0/pwm1/duty_cycle") == "1000000\n")
        #expect(tree.read("pwmchip0/pwm0/enable") == "1\n")
    }

    @Test func aChannelTheBankNeverSetUpIsNamed() throws {
        let tree = SysfsPWMTests().makeChip()
        #expect {
            _ = try SysfsPWMSafeWriter(sysfsRoot: tree.root, chip: 0, channels: [0, 5],
                                       config: PWMBankConfig(frequencyHz: 50, safePulseUs: [1500, 1500]))
        } throws: { error in
            "\(error)".contains("pwmchip0/pwm5/duty_cycle")
        }
    }
}
