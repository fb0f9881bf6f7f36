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

/// In flight a SAFE reading must persist for the hold before it cuts live outputs (a loose connector must not stop
/// the motor in the air); on the ground, or with no live outputs, SAFE acts at once.
@Suite struct SafetySwitchInFlightHoldTests {
    static func liveGate() throws -> ArmingSafetyGate {
        var gate = ArmingSafetyGate()
        gate.updateSwitch(.arm, atUs: 0, inFlightHoldUs: nil)
        try gate.arm()
        return gate
    }

    @Test func aShortSafeInFlightKeepsTheOutputsLive() throws {
        var gate = try Self.liveGate()
        gate.updateSwitch(.safe, atUs: 10_000_000, inFlightHoldUs: 1_000_000)
        #expect(gate.outputsLive && gate.safeHeldSinceUs == 10_000_000)
        gate.updateSwitch(.safe, atUs: 10_999_999, inFlightHoldUs: 1_000_000)
        #expect(gate.outputsLive)
        gate.updateSwitch(.arm, atUs: 11_000_000, inFlightHoldUs: 1_000_000)
        #expect(gate.outputsLive && gate.safeHeldSinceUs == nil && gate.cutsAfterHold == 0)
        // A second SAFE starts its own hold.
        gate.updateSwitch(.safe, atUs: 20_000_000, inFlightHoldUs: 1_000_000)
        #expect(gate.safeHeldSinceUs == 20_000_000)
    }

    @Test func aSafeHeldThroughTheHoldCutsTheOutputs() throws {
        var gate = try Self.liveGate()
        gate.updateSwitch(.safe, atUs: 10_000_000, inFlightHoldUs: 1_000_000)
        gate.updateSwitch(.safe, atUs: 11_000_000, inFlightHoldUs: 1_000_000)
        #expect(!gate.outputsLive && !gate.softwareArmed && gate.cutsAfterHold == 1 && gate.safeHeldSinceUs == nil)
        #expect(gate.gatedPulseUs(commandedUs: 1900, safeUs: 1000) == 1000)
        // ARM again needs a new arm command, as on the ground.
        gate.updateSwitch(.arm, atUs: 12_000_000, inFlightHoldUs: 1_000_000)
        #expect(!gate.outputsLive)
    }

    @Test func onTheGroundOrWithoutAHoldSafeActsAtOnce() throws {
        var ground = try Self.liveGate()
        ground.updateSwitch(.safe, atUs: 10_000_000, inFlightHoldUs: nil)
        #expect(!ground.outputsLive && ground.cutsAfterHold == 0)
        var zero = try Self.liveGate()
        zero.updateSwitch(.safe, atUs: 10_000_000, inFlightHoldUs: 0)
        #expect(!zero.outputsLive)
        // Disarmed outputs have nothing to keep: the switch position is taken as read.
        var disarmed = ArmingSafetyGate()
        disarmed.updateSwitch(.arm, atUs: 0, inFlightHoldUs: 1_000_000)
        disarmed.updateSwitch(.safe, atUs: 1, inFlightHoldUs: 1_000_000)
        #expect(disarmed.switchPosition == .safe && disarmed.safeHeldSinceUs == nil)
    }
}
