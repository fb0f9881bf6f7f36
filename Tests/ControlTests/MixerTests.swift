import ConfigFiles
import FlightMath
import PropertyBased
import Testing
@testable import Control

private func pulses(_ mixer: OutputMixer, _ c: ActuatorCommands, armed: Bool = true) -> [UInt16] {
    mixer.mix(c, armed: armed).pulsesUs
}

@Suite struct MixerTests {
    let conventional = OutputMixer(config: .defaults)  // A E T R, 1000/1500/2000

    @Test func conventionalMapsEachAxisLinearlyOntoItsChannel() {
        // 1500 + 0.5·500, 1500 − 0.25·500, 1000 + 0.6·1000, 1500 + 1·500
        #expect(pulses(conventional, ActuatorCommands(roll: 0.5, pitch: -0.25, yaw: 1, throttle: 0.6))
                == [1750, 1375, 1600, 2000])
        #expect(pulses(conventional, .neutral) == [1500, 1500, 1000, 1500])
    }

    @Test func asymmetricThrowsUseTheirOwnHalfRange() {
        let config = MixerConfig(kind: .conventional, channels: [
            OutputChannel(function: .aileron, minUs: 1100, trimUs: 1450, maxUs: 1900),
            OutputChannel(function: .throttle, minUs: 1050, trimUs: 1050, maxUs: 1950),
        ])
        let mixer = OutputMixer(config: config)
        #expect(pulses(mixer, ActuatorCommands(roll: 0.5, throttle: 0.5)) == [1675, 1500])  // 1450+225, 1050+450
        #expect(pulses(mixer, ActuatorCommands(roll: -0.5, throttle: 1)) == [1275, 1950])  // 1450−175
    }

    @Test func reversalMirrorsAboutTrim() {
        let config = MixerConfig(kind: .conventional, channels: [
            OutputChannel(function: .aileron, reversed: true), OutputChannel(function: .throttle, trimUs: 1000),
        ])
        let mixer = OutputMixer(config: config)
        #expect(pulses(mixer, ActuatorCommands(roll: 0.5)) == [1250, 1000])
        #expect(pulses(mixer, ActuatorCommands(roll: -1)) == [2000, 1000])
    }

    @Test func elevonsMixRollAndPitchWithRollPriority() {
        let config = MixerConfig(kind: .elevon, channels: [
            OutputChannel(function: .elevonLeft), OutputChannel(function: .elevonRight),
            OutputChannel(function: .throttle, trimUs: 1000),
        ])
        let mixer = OutputMixer(config: config)
        // left = pitch − roll = 0.2, right = pitch + roll = 0.8
        #expect(pulses(mixer, ActuatorCommands(roll: 0.3, pitch: 0.5, throttle: 0.25)) == [1600, 1900, 1250])
        // Saturating: roll 0.8 keeps its full differential (1.6), pitch is cut to the 0.2 that is left.
        #expect(pulses(mixer, ActuatorCommands(roll: 0.8, pitch: 0.6)) == [1200, 2000, 1000])
        #expect(pulses(mixer, ActuatorCommands(roll: -0.8, pitch: -0.6)) == [1800, 1000, 1000])
        // Pure pitch moves both the same way, pure roll opposite ways.
        #expect(pulses(mixer, ActuatorCommands(pitch: -0.4)) == [1300, 1300, 1000])
        #expect(pulses(mixer, ActuatorCommands(roll: 0.4)) == [1300, 1700, 1000])
    }

    @Test func elevonMixingGainsScaleEachAxis() {
        let config = MixerConfig(kind: .elevon, channels: [
            OutputChannel(function: .elevonLeft), OutputChannel(function: .elevonRight),
            OutputChannel(function: .throttle, trimUs: 1000),
        ], elevonRollGain: 0.5, elevonPitchGain: 0.8)
        // roll 0.5·0.6 = 0.3, pitch 0.8·0.5 = 0.4: left 0.1, right 0.7
        #expect(pulses(OutputMixer(config: config), ActuatorCommands(roll: 0.6, pitch: 0.5)) == [1550, 1850, 1000])
    }

    @Test func vTailMixesPitchAndYawWithPitchPriority() {
        let config = MixerConfig(kind: .vTail, channels: [
            OutputChannel(function: .aileron), OutputChannel(function: .vTailLeft),
            OutputChannel(function: .vTailRight), OutputChannel(function: .throttle, trimUs: 1000),
        ])
        let mixer = OutputMixer(config: config)
        // left = pitch + yaw = 0.6, right = pitch − yaw = 0.2
        #expect(pulses(mixer, ActuatorCommands(roll: -0.2, pitch: 0.4, yaw: 0.2, throttle: 0.5))
                == [1400, 1800, 1600, 1500])
        // pitch 0.9 leaves 0.1 for yaw
        #expect(pulses(mixer, ActuatorCommands(pitch: 0.9, yaw: -0.5)) == [1500, 1900, 2000, 1000])
    }

    @Test func outputsStayWithinLimitsForOutOfRangeAndNaNCommands() {
        #expect(pulses(conventional, ActuatorCommands(roll: 3, pitch: -7, yaw: .nan, throttle: 2))
                == [2000, 1000, 2000, 1500])
        #expect(pulses(conventional, ActuatorCommands(throttle: -1)) == [1500, 1500, 1000, 1500])
        #expect(pulses(conventional, ActuatorCommands(throttle: .infinity)) == [1500, 1500, 1000, 1500])
        let narrow = OutputMixer(config: MixerConfig(kind: .conventional, channels: [
            OutputChannel(function: .elevator, minUs: 1200, trimUs: 1500, maxUs: 1700),
            OutputChannel(function: .throttle, minUs: 1100, trimUs: 1100, maxUs: 1800),
        ]))
        #expect(pulses(narrow, ActuatorCommands(pitch: 5, throttle: 5)) == [1700, 1800])
        #expect(pulses(narrow, ActuatorCommands(pitch: -5, throttle: -5)) == [1200, 1100])
    }

    @Test func disarmedOutputsAreTheSafeValuesWhateverIsCommanded() {
        let config = MixerConfig(kind: .elevon, channels: [
            OutputChannel(function: .elevonLeft, disarmedUs: 1520), OutputChannel(function: .elevonRight),
            OutputChannel(function: .throttle, minUs: 1100, trimUs: 1100, disarmedUs: 0),
            OutputChannel(function: .throttle, minUs: 1050, trimUs: 1050),
        ])
        let mixer = OutputMixer(config: config)
        let full = ActuatorCommands(roll: 1, pitch: 1, yaw: 1, throttle: 1)
        #expect(pulses(mixer, full, armed: false) == [1520, 1500, 0, 1050])
        #expect(pulses(mixer, full, armed: true) == [1000, 2000, 2000, 2000])
    }

    @Test func pulseStorageIsFixedAtSixteen() {
        let channels = (0..<16).map { $0 == 0 ? OutputChannel(function: .throttle, trimUs: 1000)
                                               : OutputChannel(function: .none) }
        let out = OutputMixer(config: MixerConfig(kind: .conventional, channels: channels))
            .mix(ActuatorCommands(throttle: 1), armed: true)
        #expect(out.count == 16)
        #expect(out.pulseUs(channel: 0) == 2000)
        #expect(out.pulseUs(channel: 15) == 1500)
        #expect(out.pulseUs(channel: 16) == nil)
        #expect(out.pulseUs(channel: -1) == nil)
    }

    @Test func everyArmedPulseLiesWithinItsChannelRange() async {
        let mixer = OutputMixer(config: MixerConfig(kind: .elevon, channels: [
            OutputChannel(function: .elevonLeft, minUs: 1150, trimUs: 1480, maxUs: 1900),
            OutputChannel(function: .elevonRight, minUs: 1100, trimUs: 1520, maxUs: 1950, reversed: true),
            OutputChannel(function: .throttle, minUs: 1000, trimUs: 1000, maxUs: 2000),
        ]))
        await propertyCheck(count: 300, input: Gen.double(in: -3...3), Gen.double(in: -3...3),
                            Gen.double(in: -1...2)) { roll, pitch, throttle in
            let p = mixer.mix(ActuatorCommands(roll: roll, pitch: pitch, throttle: throttle), armed: true)
            #expect((1150...1900).contains(p.pulseUs(channel: 0) ?? 0))
            #expect((1100...1950).contains(p.pulseUs(channel: 1) ?? 0))
            #expect((1000...2000).contains(p.pulseUs(channel: 2) ?? 0))
            // Roll priority: the elevon differential equals twice the (clamped) roll command.
            let d = SurfaceMixer(config: mixer.surfaceMixer.config)
                .deflections(for: ActuatorCommands(roll: roll, pitch: pitch))
            #expect(abs((d.elevonRight - d.elevonLeft) - 2 * roll.clamped(to: -1...1)) < 1e-12)
            #expect(abs(d.elevonLeft) <= 1 + 1e-12 && abs(d.elevonRight) <= 1 + 1e-12)
        }
    }
}

@Suite struct MixerConfigDecodingTests {
    private func decode(_ toml: String) throws(ConfigFileError) -> ControlConfig {
        try ConfigFile.decode(ControlConfig.self, fromTOML: toml, source: "plane.toml")
    }

    @Test func decodesAnElevonWing() throws {
        let c = try decode("""
            [mixer]
            kind = "elevon"
            elevon_roll_gain = 0.7
            [[mixer.channels]]
            function = "elevon_left"
            min_us = 1100
            max_us = 1900
            reversed = true
            [[mixer.channels]]
            function = "elevon_right"
            [[mixer.channels]]
            function = "throttle"
            """)
        #expect(c.mixer.kind == .elevon)
        #expect(c.mixer.elevonRollGain == 0.7)
        #expect(c.mixer.elevonPitchGain == 1)
        #expect(c.mixer.channels.count == 3)
        #expect(c.mixer.channels[0] == OutputChannel(function: .elevonLeft, minUs: 1100, trimUs: 1500, maxUs: 1900,
                                                     reversed: true, disarmedUs: 1500))
        #expect(c.mixer.channels[2].disarmedUs == 1000)
        #expect(c.attitude == .defaults)
        #expect(c.tecs == .defaults)
    }

    @Test func emptyControlTableTakesEveryDefault() throws {
        #expect(try decode("") == .defaults)
    }

    @Test func throttleThatWouldRunDisarmedIsRejected() {
        #expect(throws: ConfigFileError(file: "plane.toml", problem: .invalidValue(
            keyPath: "mixer.channels[0].disarmed_us",
            reason: "a throttle output's disarmed_us (1200.0) must not exceed its min_us (1000.0): the motor must not run while disarmed"))) {
            _ = try decode("[mixer]\nkind = \"conventional\"\n[[mixer.channels]]\nfunction = \"throttle\"\ndisarmed_us = 1200\n")
        }
    }

    @Test func functionTheGeometryDoesNotDriveIsRejected() throws {
        do {
            _ = try decode("[mixer]\nkind = \"elevon\"\n[[mixer.channels]]\nfunction = \"aileron\"\n"
                           + "[[mixer.channels]]\nfunction = \"throttle\"\n")
            Issue.record("accepted an aileron on a flying wing")
        } catch {
            guard case .invalidValue(let key, let reason) = error.problem else { Issue.record("\(error)"); return }
            #expect(key == "mixer.channels")
            #expect(reason.contains("aileron"))
        }
    }

    @Test func trimOutsideRangeAndTooManyChannelsAreRejected() throws {
        do {
            _ = try decode("[mixer]\nkind = \"conventional\"\n[[mixer.channels]]\nfunction = \"elevator\"\n"
                           + "min_us = 1200\ntrim_us = 1100\n")
            Issue.record("accepted trim below min")
        } catch {
            guard case .invalidValue(let key, _) = error.problem else { Issue.record("\(error)"); return }
            #expect(key == "mixer.channels[0].trim_us")
        }
        let seventeen = String(repeating: "[[mixer.channels]]\nfunction = \"throttle\"\n", count: 17)
        do {
            _ = try decode("[mixer]\nkind = \"conventional\"\n" + seventeen)
            Issue.record("accepted 17 channels")
        } catch {
            guard case .invalidValue(let key, let reason) = error.problem else { Issue.record("\(error)"); return }
            #expect(key == "mixer.channels")
            #expect(reason.contains("17"))
        }
    }
}
