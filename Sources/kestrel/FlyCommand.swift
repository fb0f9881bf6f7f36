import ArgumentParser
import Autopilot
import Foundation

struct FlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fly",
        abstract: "Run the flight daemon: the flight stack on a real-time thread against the wall clock.",
        discussion: """
            Runs until SIGTERM or SIGINT (or --seconds), then sets the outputs safe and prints the scheduler's \
            jitter and overrun report. Under systemd (Type=notify) it sends READY=1, WATCHDOG=1 while the loop \
            ticks, and STOPPING=1. The vehicle never arms by itself.
            """)

    @Option(help: "Board file, e.g. Hardware/boards/rpi4-pca9685.toml.")
    var board: String

    @Option(help: "Airframe file (default \(FlightDaemonOptions.defaultAirframePath)).")
    var airframe: String?

    @Option(help: "Mission file to load.")
    var mission: String?

    @Option(help: "Authorised-operator key file (who may approve the terminal phase).")
    var operators: String?

    @Flag(help: "Run against the register-level emulators (a vehicle at rest) instead of the hardware.")
    var emulated = false

    @Option(help: "Stop by itself after this many seconds.")
    var seconds: Double?

    func validate() throws {
        if let seconds, !(seconds.isFinite && seconds > 0 && seconds <= 86_400 * 7) {
            throw ValidationError("--seconds must be between 0 and 604800, got \(seconds)")
        }
    }

    func run() throws {
        // Before any thread starts, so all of them inherit the blocked SIGTERM/SIGINT.
        FlightDaemon.prepareSignals()
        let options = FlightDaemonOptions(boardPath: board, airframePath: airframe, missionPath: mission,
                                          operatorsPath: operators, emulated: emulated, seconds: seconds)
        let result: FlightDaemonResult
        do {
            result = try FlightDaemon.run(options, environment: ProcessInfo.processInfo.environment) { line in
                // Unbuffered, so a supervisor (systemd, a test) sees each line as it happens.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            throw UserFacingError(error)
        }
        if let signal = result.stopSignal {
            print("fly: stopped by \(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)")")
        } else {
            print("fly: stopped after \(seconds.map { "\($0)" } ?? "?") s")
        }
        if result.watchdogTrips > 0 { print("fly: watchdog tripped \(result.watchdogTrips) time(s)") }
        print(result.report.text, terminator: "")
    }
}
