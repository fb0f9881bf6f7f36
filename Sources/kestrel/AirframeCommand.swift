import ArgumentParser
import Foundation
import Simulation

/// `kestrel airframe`: the plant's own figures for an airframe file, for checking it against another flight-dynamics
/// engine (Tools/jsbsim) or a flight test: trim points and open-loop responses on fixed controls.
struct AirframeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "airframe",
        abstract: "The plant's trim and open-loop responses for an airframe file (calm standard atmosphere).",
        subcommands: [Trim.self, Response.self])

    static func load(_ path: String) throws -> AirframeFile {
        do { return try AirframeFile.load(fromFile: path) } catch { throw UserFacingError(error) }
    }

    struct Trim: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wings-level powered trim: angle of attack, elevator and throttle at each airspeed.")

        @Argument(help: "Airframe file (e.g. Hardware/airframes/kestrel-2m.toml).")
        var airframe: String

        @Option(help: "Airspeeds, m/s, comma-separated.")
        var airspeedMps = "15,18,22"

        @Option(help: "Height above the origin (488 m AMSL), m.")
        var heightM = 100.0

        @Flag(help: "One JSON object per line instead of the table.")
        var json = false

        func run() throws {
            let speeds = try airspeedMps.split(separator: ",").map { text in
                guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--airspeed-mps: '\(text)' is not a number")
                }
                return v
            }
            let file = try AirframeCommand.load(airframe)
            if !json { print("airspeed_mps  alpha_deg  elevator_deg  throttle") }
            for v in speeds {
                let trim: TrimPoint
                do { trim = try OpenLoopResponse.trim(file, airspeedMps: v, heightM: heightM) } catch {
                    throw UserFacingError("\(airframe): \(error)")
                }
                let alpha = trim.alphaRad * 180 / .pi, elevator = trim.elevatorRad * 180 / .pi
                if json {
                    print("{\"airspeed_mps\": \(v), \"alpha_deg\": \(alpha), \"elevator_deg\": \(elevator), "
                          + "\"throttle\": \(trim.throttle)}")
                } else {
                    print(String(format: "%12.2f  %9.3f  %12.3f  %8.4f", v, alpha, elevator, trim.throttle))
                }
            }
        }
    }

    struct Response: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fly one input on fixed controls from trim and print the response as CSV.")

        @Argument(help: "Airframe file.")
        var airframe: String

        @Option(help: "none, elevator-doublet, aileron-doublet, rudder-doublet, throttle-step or engine-off.")
        var input: String

        @Option(help: "Airspeed of the starting trim, m/s.")
        var airspeedMps = 18.0

        @Option(help: "Height above the origin (488 m AMSL), m.")
        var heightM = 300.0

        @Option(help: "Doublet amplitude, degrees of surface deflection.")
        var amplitudeDeg = 2.0

        @Option(help: "Throttle step, fraction of full throttle.")
        var throttleStep = 0.1

        @Option(help: "Each half of the doublet, s (default: about half the excited mode's period).")
        var pulseS: Double?

        @Option(help: "Seconds to fly.")
        var seconds = 10.0

        @Option(help: "Samples per second.")
        var rateHz = 50.0

        func run() throws {
            guard let kind = OpenLoopInput(rawValue: input) else {
                throw ValidationError("--input: '\(input)' is none of "
                                      + OpenLoopInput.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard amplitudeDeg.isFinite, abs(amplitudeDeg) <= 30 else {
                throw ValidationError("--amplitude-deg must be within ±30, got \(amplitudeDeg)")
            }
            let amplitude = kind == .throttleStep ? throttleStep : amplitudeDeg * .pi / 180
            let file = try AirframeCommand.load(airframe)
            let samples: [OpenLoopSample]
            do {
                samples = try OpenLoopResponse.run(file, airspeedMps: airspeedMps, heightM: heightM, input: kind,
                                                   amplitude: amplitude, pulseS: pulseS, durationS: seconds,
                                                   sampleRateHz: rateHz)
            } catch {
                throw UserFacingError("\(airframe): \(error)")
            }
            var text = OpenLoopSample.csvHeader + "\n"
            for s in samples { text += s.csvLine + "\n" }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
