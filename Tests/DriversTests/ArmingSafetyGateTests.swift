import Testing
@testable import Drivers

@Suite struct ArmingSafetyGateTests {
    @Test func outputsLiveOnlyWithSwitchArmAndSoftwareArmed() throws {
        var gate = ArmingSafetyGate()
        #expect(!gate.outputsLive)
        #expect(gate.gatedPulseUs(commandedUs: 1900, safeUs: 1000) == 1000)
        #expect(throws: ArmingSafetyGate.ArmRefusal.safetySwitchInSafe) { try gate.arm() }
        #expect(!gate.softwareArmed)
        gate.updateSwitch(.arm)
        #expect(!gate.outputsLive)  // switch alone is not enough
        #expect(gate.gatedPulseUs(commandedUs: 1900, safeUs: 1000) == 1000)
        try gate.arm()
        #expect(gate.outputsLive)
        #expect(gate.gatedPulseUs(commandedUs: 1900, safeUs: 1000) == 1900)
        gate.disarm()
        #expect(gate.gatedPulseUs(commandedUs: 1900, safeUs: 1000) == 1000)
    }

    @Test func safeDisarmsImmediatelyAndStaysDisarmed() throws {
        var gate = ArmingSafetyGate()
        gate.updateSwitch(.arm)
        try gate.arm()
        gate.updateSwitch(.safe)
        #expect(!gate.softwareArmed)
        #expect(gate.gatedPulseUs(commandedUs: 2000, safeUs: 1500) == 1500)
        gate.updateSwitch(.arm)  // back to ARM: still needs a new arm command
        #expect(!gate.outputsLive)
        #expect(gate.gatedPulseUs(commandedUs: 2000, safeUs: 1500) == 1500)
    }
}
