import ConfigFiles
import Foundation
import Testing
@testable import Simulation

/// The servo and propeller keys of issue 18: optional (an older file loads with the defaults), and a bad value is
/// an error naming the key and the accepted range.
@Suite struct RealisticActuatorKeysTests {
    static func text(_ name: String = "kestrel-2m") throws -> String {
        try String(contentsOfFile: Fixture.airframePath(name), encoding: .utf8)
    }

    /// Every line setting one of the new keys removed, as in a file written before them.
    static func withoutNewKeys(_ text: String) -> String {
        let newKeys = ["frame_rate_hz", "deadband_us", "backlash_deg", "prop_pitch_m", "prop_rotation",
                       "thrust_line_offset_m", "windmill_drag_coefficient"]
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !newKeys.contains { line.hasPrefix("\($0) =") } }
            .joined(separator: "\n")
    }

    @Test(arguments: ["kestrel-2m", "kestrel-wing-1p4"]) func olderFileLoadsWithDefaults(name: String) throws {
        let old = Self.withoutNewKeys(try Self.text(name))
        #expect(!old.contains("\nframe_rate_hz =") && !old.contains("\nwindmill_drag_coefficient ="))
        let a = try AirframeFile.decode(fromTOML: old, source: "old.toml")
        for s in a.actuators.surfaces {
            #expect(s.frameRateHz == 50 && s.deadbandUs == 2 && s.backlashDeg == 0.5)
        }
        #expect(a.propulsion.windmillDragCoefficient == 0.1 && a.propulsion.thrustLineOffsetM == 0)
        #expect(a.propulsion.propRotation == .clockwise)
        #expect(abs(a.propulsion.propPitchM - 0.65 * a.propulsion.propDiameterM) < 1e-12)
    }

    /// The shipped files set every new key explicitly.
    @Test(arguments: ["kestrel-2m", "kestrel-wing-1p4"]) func shippedFilesSetTheNewKeys(name: String) throws {
        let text = try Self.text(name)
        for key in ["frame_rate_hz", "deadband_us", "backlash_deg", "prop_pitch_m", "prop_rotation",
                    "thrust_line_offset_m", "windmill_drag_coefficient"] {
            #expect(text.contains("\n\(key) ="), "\(name): \(key)")
        }
    }

    /// (line in the file, bad replacement, key path in the error, accepted range in the message)
    static let badValues: [(String, String, String, String)] = [
        ("frame_rate_hz = 50.0", "frame_rate_hz = 5.0", "actuators.surfaces[0].frame_rate_hz", "20.0…560.0"),
        ("deadband_us = 2.0", "deadband_us = -1.0", "actuators.surfaces[0].deadband_us", "0.0…25.0"),
        ("backlash_deg = 0.5", "backlash_deg = 9.0", "actuators.surfaces[0].backlash_deg", "0.0…5.0"),
        ("prop_pitch_m = 0.178", "prop_pitch_m = 0.0", "propulsion.prop_pitch_m", "0.01…2.0"),
        ("thrust_line_offset_m = 0.02", "thrust_line_offset_m = 0.9", "propulsion.thrust_line_offset_m", "-0.5…0.5"),
        ("windmill_drag_coefficient = 0.1", "windmill_drag_coefficient = 2.0",
         "propulsion.windmill_drag_coefficient", "0.0…1.2"),
    ]

    @Test(arguments: 0..<badValues.count) func badValueNamesKeyAndRange(index: Int) throws {
        let (line, bad, keyPath, range) = Self.badValues[index]
        let text = try Self.text()
        #expect(text.contains(line), "the shipped file no longer has '\(line)'")
        do {
            _ = try AirframeFile.decode(fromTOML: text.replacingOccurrences(of: line, with: bad), source: "bad.toml")
            Issue.record("accepted \(bad)")
        } catch {
            guard case .invalidValue(let path, let reason) = error.problem else { Issue.record("\(error)"); return }
            #expect(path == keyPath)
            #expect(reason.contains(range), "\(reason)")
        }
    }

    @Test func unknownRotationIsRefused() throws {
        let text = try Self.text().replacingOccurrences(of: "prop_rotation = \"cw\"", with: "prop_rotation = \"left\"")
        do {
            _ = try AirframeFile.decode(fromTOML: text, source: "bad.toml")
            Issue.record("accepted prop_rotation = left")
        } catch {
            #expect(error.description.contains("propulsion.prop_rotation"), "\(error)")
        }
    }
}
