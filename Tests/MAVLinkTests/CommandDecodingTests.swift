import Testing
@testable import MAVLink

@Suite struct CommandDecodingTests {
    func long(_ command: MAVCmd, _ p: Float...) -> LinkCommand {
        var params = p + Array(repeating: 0, count: 7 - p.count)
        if params.count > 7 { params = Array(params.prefix(7)) }
        return CommandDecoding.decode(CommandArguments(CommandLong(
            targetSystem: 1, targetComponent: 1, command: command, param1: params[0], param2: params[1],
            param3: params[2], param4: params[3], param5: params[4], param6: params[5], param7: params[6])))
    }

    @Test func armAndDisarm() {
        #expect(long(.componentArmDisarm, 1) == .vehicle(.arm(force: false)))
        #expect(long(.componentArmDisarm, 0, 21196) == .vehicle(.disarm(force: true)))
        #expect(long(.componentArmDisarm, 0.5) == .refuse(.denied))
    }

    @Test func setModeNeedsTheCustomFlagAndNeverEntersTheTerminalPhase() {
        #expect(long(.doSetMode, 1, 3) == .vehicle(.setMode(.loiter)))
        #expect(long(.doSetMode, 129, 4) == .vehicle(.setMode(.returnToLaunch)))
        #expect(long(.doSetMode, 0, 3) == .refuse(.unsupported))
        #expect(long(.doSetMode, 1, 5) == .refuse(.denied))  // terminal
        #expect(long(.doSetMode, 1, 6) == .refuse(.denied))  // wave-off
        #expect(long(.doSetMode, 1, 42) == .refuse(.denied))
        #expect(long(.doSetMode, 1, .nan) == .refuse(.denied))
    }

    @Test func repositionFromCommandIntKeepsIntegerCoordinatesAndFrame() {
        let command = CommandInt(
            targetSystem: 1, targetComponent: 1, frame: .globalRelativeAltInt, command: .doReposition, param1: -1,
            param3: 150, x: 473_990_001, y: 85_460_003, z: 120)
        #expect(CommandDecoding.decode(CommandArguments(command)) == .vehicle(.reposition(
            target: LinkPosition(latitudeE7: 473_990_001, longitudeE7: 85_460_003, altitudeM: 120,
                                 altitudeFrame: .relativeToHome),
            loiterRadiusM: 150)))
        var noPosition = command
        noPosition.x = .max
        #expect(CommandDecoding.decode(CommandArguments(noPosition)) == .refuse(.denied))
        var local = command
        local.frame = .localNed
        #expect(CommandDecoding.decode(CommandArguments(local)) == .refuse(.denied))
    }

    @Test func repositionFromCommandLongIsAMSLDegrees() {
        guard case let .vehicle(.reposition(target, radius)) = long(.doReposition, -1, 0, 0, 0, 47.5, 8.25, 500)
        else {
            Issue.record("not a reposition")
            return
        }
        #expect(target == LinkPosition(latitudeE7: 475_000_000, longitudeE7: 82_500_000, altitudeM: 500,
                                       altitudeFrame: .amsl))
        #expect(radius == nil)
    }

    @Test func linkCommandsAndUnknownOnes() {
        #expect(long(.requestMessage, 148) == .requestMessage(messageID: 148))
        #expect(long(.requestMessage, -1) == .refuse(.denied))
        #expect(long(.setMessageInterval, 30, 50_000) == .setMessageInterval(messageID: 30, intervalUs: 50_000))
        #expect(long(.setMessageInterval, 30, -1) == .setMessageInterval(messageID: 30, intervalUs: -1))
        #expect(long(.setMessageInterval, 30, -2) == .refuse(.denied))
        #expect(long(.requestAutopilotCapabilities, 1) == .requestAutopilotCapabilities)
        #expect(long(.navReturnToLaunch) == .vehicle(.returnToLaunch))
        // QGroundControl's "start mission" (0, 0): the plan from its current item; a sub-range cannot be flown.
        #expect(long(.missionStart) == .vehicle(.setMode(.mission)))
        #expect(long(.missionStart, 2, 4) == .refuse(.denied))
        #expect(long(.missionStart, .nan) == .refuse(.denied))
        // Kestrel's request for the terminal phase: the vehicle's gate decides; the link only hands it on.
        #expect(long(.kestrelRequestTerminal) == .vehicle(.requestTerminal))
        #expect(MAVCmd.kestrelRequestTerminal.rawValue == 53201)
        #expect(long(.doSetServo, 1, 1500) == .refuse(.unsupported))
        #expect(long(.navTakeoff) == .refuse(.unsupported))
    }
}
