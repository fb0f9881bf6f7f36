import DeviceIO
import Testing
@testable import Drivers

@Suite struct PCA9685Tests {
    @Test func prescaleFollowsDatasheetEquation() {
        #expect(PCA9685<FakeI2CBus>.preScale(frequencyHz: 200) == 30)  // datasheet example: 0x1E
        #expect(PCA9685<FakeI2CBus>.preScale(frequencyHz: 50) == 121)  // 25 MHz / (4096 · 50) = 122.07
        #expect(PCA9685<FakeI2CBus>.preScale(frequencyHz: 400) == 14)  // 15.26
        #expect(PCA9685<FakeI2CBus>.preScale(frequencyHz: 1526) == 3)
        #expect(PCA9685<FakeI2CBus>.preScale(frequencyHz: 3000) == nil)
    }

    func make(_ frequencyHz: Double = 50, safe: [UInt16] = [1500, 1500, 1000, 0]) throws
        -> (FakeI2CBus, FakePCA9685, PCA9685<FakeI2CBus>)
    {
        let bus = FakeI2CBus()
        let chip = FakePCA9685()
        bus.chips[0x40] = chip
        let pwm = try PCA9685(bus: bus, config: PCA9685Config(bank: PWMBankConfig(frequencyHz: frequencyHz, safePulseUs: safe)),
                              clock: ManualClock())
        return (bus, chip, pwm)
    }

    @Test func startUpSequenceIsSleepPrescaleWake() throws {
        let (bus, chip, pwm) = try make()
        #expect(Array(bus.log.prefix(5)) == [
            .writeByte(address: 0x40, register: 0x00, value: 0x30),  // SLEEP | AI
            .writeBlock(address: 0x40, register: 0xFA, bytes: [0, 0, 0, 0x10]),  // all outputs fully off
            .writeByte(address: 0x40, register: 0x01, value: 0x04),  // totem-pole outputs
            .writeByte(address: 0x40, register: 0xFE, value: 121),
            .writeByte(address: 0x40, register: 0x00, value: 0x20),  // wake, keep AI
        ])
        #expect(chip.registers[0xFE] == 121)  // only accepted because SLEEP was set
        #expect(abs(pwm.actualFrequencyHz - 25e6 / (4096 * 122)) < 1e-9)
        for n in 0..<16 { #expect(chip.channel(n).fullOff) }
        #expect(chip.registers[0x00] & 0x10 == 0)
    }

    @Test func microsecondsToTwelveBitCounts() throws {
        let (bus, chip, pwm) = try make()
        // 50.03 Hz frame: 4096 counts per 19.988 ms, 0.204918 counts per µs.
        #expect(pwm.offCount(pulseUs: 1500) == 307)
        #expect(pwm.offCount(pulseUs: 1000) == 205)
        #expect(pwm.offCount(pulseUs: 2000) == 410)
        try pwm.setEnabled(true)
        bus.log.removeAll()
        try pwm.setPulseWidth(channel: 3, pulseUs: 1500)
        #expect(bus.log == [.writeBlock(address: 0x40, register: 0x12, bytes: [0x00, 0x00, 0x33, 0x01])])
        #expect(chip.channel(3).on == 0 && chip.channel(3).off == 307 && !chip.channel(3).fullOff)
        try pwm.setPulseWidth(channel: 1, pulseUs: 0)
        #expect(chip.channel(1).fullOff)
        #expect(throws: DeviceError.self) { try pwm.setPulseWidth(channel: 4, pulseUs: 1500) }
    }

    @Test func safeValuesEnableAndStop() throws {
        let (_, chip, pwm) = try make(400)
        #expect(pwm.preScale == 14)
        try pwm.setPulseWidth(channel: 0, pulseUs: 1800)  // remembered while disabled
        #expect(chip.channel(0).fullOff)
        try pwm.setEnabled(true)
        let countsPerUs = 25e6 / (4096 * 15) * 4096 / 1e6
        #expect(chip.channel(0).off == UInt16((1800 * countsPerUs).rounded()))
        #expect(chip.channel(2).off == UInt16((1000 * countsPerUs).rounded()))
        #expect(chip.channel(3).fullOff)  // safe value 0 = no pulses
        try pwm.applySafeValues()
        #expect(chip.channel(0).off == UInt16((1500 * countsPerUs).rounded()))
        try pwm.stop()
        for n in 0..<16 { #expect(chip.channel(n).fullOff) }
        #expect(!pwm.enabled)
    }

    @Test func aBatchIsOneAutoIncrementBlockWrite() throws {
        let (bus, chip, pwm) = try make(50, safe: [1500, 1500, 1000, 1500, 1500, 1500, 1500, 1500, 1500, 1500])
        try pwm.setEnabled(true)
        bus.log.removeAll()
        pwm.beginBatch()
        try pwm.setPulseWidth(channel: 2, pulseUs: 1000)
        try pwm.setPulseWidth(channel: 0, pulseUs: 1500)
        try pwm.setPulseWidth(channel: 1, pulseUs: 0)
        #expect(bus.log.isEmpty)  // recorded, not yet written
        try pwm.commitBatch()
        // LED0_ON_L (0x06) … LED2_OFF_H: 1500 µs = 307 counts (0x133), full-off, 1000 µs = 205 (0xCD).
        #expect(bus.log == [.writeBlock(address: 0x40, register: 0x06,
                                        bytes: [0, 0, 0x33, 0x01, 0, 0, 0, 0x10, 0, 0, 0xCD, 0x00])])
        #expect(chip.channel(1).fullOff && chip.channel(2).off == 205)
        // Ten channels are 40 bytes: two writes, 8 channels (32 bytes, SMBus's limit) and 2.
        bus.log.removeAll()
        pwm.beginBatch()
        for channel in 0..<10 { try pwm.setPulseWidth(channel: channel, pulseUs: 1600) }
        try pwm.commitBatch()
        #expect(bus.log.count == 2)
        #expect(PCA9685<FakeI2CBus>.blockWrites(firstChannel: 0, lastChannel: 9) == [32, 8])
        for channel in 0..<10 { #expect(chip.channel(channel).off == pwm.offCount(pulseUs: 1600)) }
        // Outside a batch a channel is written at once, as before (safe values, the sweep).
        bus.log.removeAll()
        try pwm.setPulseWidth(channel: 3, pulseUs: 1500)
        #expect(bus.log.count == 1)
        // While disabled a batch writes nothing and the values wait for the enable.
        try pwm.stop()
        bus.log.removeAll()
        pwm.beginBatch()
        try pwm.setPulseWidth(channel: 0, pulseUs: 1700)
        try pwm.commitBatch()
        #expect(bus.log.isEmpty)
    }

    /// One commit with every channel at `pulseUs`.
    func commit(_ pwm: PCA9685<FakeI2CBus>, pulseUs: UInt16, channels: Int = 4) throws {
        pwm.beginBatch()
        for channel in 0..<channels { try pwm.setPulseWidth(channel: channel, pulseUs: pulseUs) }
        try pwm.commitBatch()
    }

    /// A dip in the chip's supply: it stops answering, then comes back in its power-on state (asleep, every output
    /// off, 200 Hz, no auto-increment) acknowledging every write. The first commit after the failed ones reads MODE1
    /// and puts it to sleep with its frame rate; the next wakes it and rewrites every channel.
    @Test func aChipThatLostPowerIsConfiguredAgain() throws {
        let (bus, _, pwm) = try make()
        pwm.registerCheckPeriod = 4
        try pwm.setEnabled(true)
        try commit(pwm, pulseUs: 1600)
        bus.chips[0x40] = nil  // no answer
        #expect(throws: DeviceError.self) { try commit(pwm, pulseUs: 1600) }
        let chip = FakePCA9685()  // back, in its power-on state
        bus.chips[0x40] = chip
        bus.log.removeAll()
        try commit(pwm, pulseUs: 1600)
        #expect(bus.log == [
            .readByte(address: 0x40, register: 0x00),
            .writeByte(address: 0x40, register: 0x00, value: 0x30),  // SLEEP | AI
            .writeByte(address: 0x40, register: 0x01, value: 0x04),
            .writeByte(address: 0x40, register: 0xFE, value: 121),
        ])
        #expect(chip.registers[0xFE] == 121)
        #expect(pwm.reconfigurations == 1)
        bus.log.removeAll()
        try commit(pwm, pulseUs: 1700)
        #expect(bus.log.first == .writeByte(address: 0x40, register: 0x00, value: 0x20))  // awake, AI
        #expect(chip.registers[0x00] & 0x10 == 0)
        for channel in 0..<4 { #expect(chip.channel(channel).off == pwm.offCount(pulseUs: 1700)) }
        // From here one MODE1 read every `registerCheckPeriod` commits, and nothing more while it reads right.
        bus.log.removeAll()
        for _ in 0..<12 { try commit(pwm, pulseUs: 1500) }
        #expect(bus.log.filter { if case .readByte = $0 { true } else { false } }.count == 2)
        #expect(pwm.reconfigurations == 1)
    }

    /// A dip too short for any transfer to fail is found by the periodic check, within `registerCheckPeriod` + 2
    /// commits; while disabled the chip is configured again and its outputs stay off.
    @Test func aResetWithoutAFailedTransferIsFoundByThePeriodicCheck() throws {
        let (bus, _, pwm) = try make()
        pwm.registerCheckPeriod = 4
        try pwm.setEnabled(true)
        let chip = FakePCA9685()
        bus.chips[0x40] = chip
        for _ in 0..<(4 + 2 + 1) { try commit(pwm, pulseUs: 1600) }
        #expect(pwm.reconfigurations == 1)
        for channel in 0..<4 { #expect(chip.channel(channel).off == pwm.offCount(pulseUs: 1600)) }
        try pwm.stop()
        let idle = FakePCA9685()
        bus.chips[0x40] = idle
        bus.log.removeAll()
        for _ in 0..<(4 + 2 + 1) { try commit(pwm, pulseUs: 1600) }
        #expect(pwm.reconfigurations == 2)
        #expect(idle.registers[0xFE] == 121 && idle.registers[0x00] == 0x20)
        // No LED register written: the power-on state holds every output off.
        #expect(!bus.log.contains { if case .writeBlock = $0 { true } else { false } })
    }

    @Test func safetyGateHoldsSafeValuesUntilArmedAndDropsOnSafe() throws {
        let (_, chip, pwm) = try make()
        try pwm.setEnabled(true)
        let gated = try SafetyGatedOutputs(outputs: pwm)
        try gated.setPulseWidth(channel: 2, pulseUs: 1900)
        #expect(chip.channel(2).off == pwm.offCount(pulseUs: 1000))  // throttle stays at its safe value
        try gated.updateSwitch(.arm)
        try gated.setPulseWidth(channel: 2, pulseUs: 1900)
        #expect(chip.channel(2).off == pwm.offCount(pulseUs: 1000))  // switch alone is not enough
        try gated.arm()
        try gated.setPulseWidth(channel: 2, pulseUs: 1900)
        #expect(chip.channel(2).off == pwm.offCount(pulseUs: 1900))
        try gated.updateSwitch(.safe)  // immediately, without waiting for the next command
        #expect(chip.channel(2).off == pwm.offCount(pulseUs: 1000))
        try gated.updateSwitch(.arm)
        try gated.setPulseWidth(channel: 2, pulseUs: 1900)
        #expect(chip.channel(2).off == pwm.offCount(pulseUs: 1000))
    }

    @Test func rejectsUnsupportedConfigurations() {
        let bus = FakeI2CBus()
        bus.chips[0x40] = FakePCA9685()
        #expect(throws: DriverError.self) {
            _ = try PCA9685(bus: bus, config: PCA9685Config(bank: PWMBankConfig(frequencyHz: 2000, safePulseUs: [1500])),
                            clock: ManualClock())
        }
        #expect(throws: DriverError.self) {
            _ = try PCA9685(bus: bus, config: PCA9685Config(bank: PWMBankConfig(frequencyHz: 50,
                                                                                 safePulseUs: Array(repeating: 1500, count: 17))),
                            clock: ManualClock())
        }
    }
}
