import DeviceIO
import Drivers
import Testing
@testable import Simulation

@Suite struct PCA9685EmulatorTests {
    func makeBank(frequencyHz: Double, channels: Int = 4) throws
        -> (PCA9685<EmulatedI2CBus>, PCA9685Emulator, ManualClock)
    {
        let clock = ManualClock()
        let bus = EmulatedI2CBus()
        let chip = PCA9685Emulator(clock: clock)
        bus.attach(chip, at: 0x40)
        let bank = PWMBankConfig(frequencyHz: frequencyHz, safePulseUs: Array(repeating: 1500, count: channels))
        let pwm = try PCA9685(bus: bus, config: PCA9685Config(bank: bank), clock: clock)
        return (pwm, chip, clock)
    }

    /// 1500 µs lands on the nearest of the 4096 counts in a frame: the error is at most half a count, which is
    /// 0.30 µs at 400 Hz but 2.44 µs at 50 Hz (a 12-bit counter cannot do better there).
    @Test(arguments: [(50.0, 121, 307), (400.0, 14, 2500)])
    func driverCommandsFifteenHundredMicroseconds(frequencyHz: Double, preScale: Int, counts: Int) throws {
        let (pwm, chip, _) = try makeBank(frequencyHz: frequencyHz)
        // PRE_SCALE = round(25 MHz / (4096 f)) − 1 (datasheet equation 1): 121 at 50 Hz, 14 at 400 Hz.
        #expect(Int(chip.register(0xFE)) == preScale)
        let frameUs = 1e6 / chip.frameRateHz
        #expect(abs(chip.frameRateHz - frequencyHz) / frequencyHz < 0.02)
        #expect(chip.pulseUs(channel: 2) == 0)  // outputs start fully off
        try pwm.setEnabled(true)
        try pwm.setPulseWidth(channel: 2, pulseUs: 1500)
        let pulse = chip.pulseUs(channel: 2)
        #expect(abs(pulse - Double(counts) * frameUs / 4096) < 1e-9)
        #expect(abs(pulse - 1500) <= frameUs / 4096 / 2)
        if frequencyHz == 400 { #expect(abs(pulse - 1500) <= 1) }
        #expect(chip.pulseUs(channel: 0) == chip.pulseUs(channel: 1))  // the safe 1500 µs on the others
    }

    @Test func stopTurnsEveryOutputFullyOffThroughAllLED() throws {
        let (pwm, chip, _) = try makeBank(frequencyHz: 50)
        try pwm.setEnabled(true)
        try pwm.setPulseWidth(channel: 3, pulseUs: 1900)
        #expect(chip.pulseUs(channel: 3) > 1890)
        try pwm.stop()
        for channel in 0..<16 { #expect(chip.pulseUs(channel: channel) == 0) }
    }

    @Test func preScaleIsIgnoredWhileTheOscillatorRuns() throws {
        let clock = ManualClock()
        let bus = EmulatedI2CBus()
        let chip = PCA9685Emulator(clock: clock)
        bus.attach(chip, at: 0x40)
        #expect(chip.register(0x00) == 0x11 && chip.register(0xFE) == 0x1E)  // power-on values
        try bus.writeByte(address: 0x40, register: 0x00, value: 0x20)  // wake, auto-increment
        try bus.writeByte(address: 0x40, register: 0xFE, value: 121)
        #expect(chip.register(0xFE) == 0x1E)
        #expect(abs(chip.frameRateHz - 25e6 / (4096 * 31)) < 1e-9)  // 196.9 Hz
        // Pulses need the oscillator to have started (500 µs).
        try bus.writeByte(address: 0x40, register: 0x09, value: 0)  // LED0_OFF_H: clear full-off
        try bus.writeByte(address: 0x40, register: 0x08, value: 0x80)
        #expect(chip.pulseUs(channel: 0) == 0)
        clock.advance(byUs: 500)
        #expect(chip.pulseUs(channel: 0) > 0)
        // Going to sleep with PWM running sets RESTART; writing it back restarts and clears it.
        try bus.writeByte(address: 0x40, register: 0x00, value: 0x30)
        #expect(try bus.readByte(address: 0x40, register: 0x00) & 0x80 != 0)
        #expect(chip.pulseUs(channel: 0) == 0)
        try bus.writeByte(address: 0x40, register: 0x00, value: 0x20)
        try bus.writeByte(address: 0x40, register: 0x00, value: 0xA0)
        #expect(try bus.readByte(address: 0x40, register: 0x00) & 0x80 == 0)
    }

    @Test func aMisTrimmedOscillatorShiftsThePulseByTheSameFraction() throws {
        let clock = ManualClock()
        let bus = EmulatedI2CBus()
        let chip = PCA9685Emulator(config: .init(oscillatorHz: 26_000_000), clock: clock)  // 4 % fast part
        bus.attach(chip, at: 0x40)
        let pwm = try PCA9685(bus: bus, config: PCA9685Config(bank: PWMBankConfig(frequencyHz: 400,
                                                                                 safePulseUs: [1500])),
                              clock: clock)
        try pwm.setEnabled(true)
        #expect(abs(chip.pulseUs(channel: 0) - 1500 * 25.0 / 26.0) < 1)
    }
}
