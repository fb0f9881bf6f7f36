import DeviceIO
import Testing
@testable import Drivers

final class ScriptedInput: DigitalInput {
    var level: Bool
    var edges: [EdgeEvent] = []
    var failure: DeviceError?

    init(level: Bool) { self.level = level }

    func readLevel() throws(DeviceError) -> Bool {
        if let failure { throw failure }
        return level
    }

    func nextEdge() throws(DeviceError) -> EdgeEvent? {
        if let failure { throw failure }
        return edges.isEmpty ? nil : edges.removeFirst()
    }
}

@Suite struct SafetySwitchTests {
    @Test func edgesMoveTheSwitchAndTheGateFollows() throws {
        let input = ScriptedInput(level: false)
        let safetySwitch = try SafetySwitch(input: input)
        #expect(safetySwitch.position == .safe)
        var gate = ArmingSafetyGate()
        try safetySwitch.apply(to: &gate)
        #expect(throws: ArmingSafetyGate.ArmRefusal.self) { try gate.arm() }
        input.edges = [EdgeEvent(timestampUs: 10, isActive: true)]
        try safetySwitch.apply(to: &gate)
        try gate.arm()
        #expect(gate.outputsLive)
        // ARM -> SAFE -> ARM between two polls: the switch ends at ARM, but the SAFE in between disarmed.
        input.edges = [EdgeEvent(timestampUs: 20, isActive: false), EdgeEvent(timestampUs: 90_000, isActive: true)]
        try safetySwitch.apply(to: &gate)
        #expect(safetySwitch.position == .arm)
        #expect(!gate.softwareArmed)
        #expect(!gate.outputsLive)
    }

    @Test func gatedOutputsDropToSafeOnASwitchFlick() throws {
        let bus = FakeI2CBus()
        let chip = FakePCA9685()
        bus.chips[0x40] = chip
        let pwm = try PCA9685(bus: bus, config: PCA9685Config(bank: PWMBankConfig(frequencyHz: 50, safePulseUs: [1000])),
                              clock: ManualClock())
        try pwm.setEnabled(true)
        let gated = try SafetyGatedOutputs(outputs: pwm)
        let input = ScriptedInput(level: true)
        let safetySwitch = try SafetySwitch(input: input)
        try gated.update(from: safetySwitch)
        try gated.arm()
        try gated.setPulseWidth(channel: 0, pulseUs: 1800)
        #expect(chip.channel(0).off == pwm.offCount(pulseUs: 1800))
        input.edges = [EdgeEvent(timestampUs: 1, isActive: false), EdgeEvent(timestampUs: 2, isActive: true)]
        try gated.update(from: safetySwitch)
        #expect(chip.channel(0).off == pwm.offCount(pulseUs: 1000))
    }

    @Test func aFailingInputIsReported() {
        let input = ScriptedInput(level: true)
        input.failure = .missing(.gpio, path: "/dev/gpiochip99")
        #expect(throws: DeviceError.missing(.gpio, path: "/dev/gpiochip99")) { _ = try SafetySwitch(input: input) }
    }
}
