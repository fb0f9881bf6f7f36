import ArgumentParser
import Board
import BoardCheck
import ConfigFiles
import Vehicle

struct CheckBoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-board",
        abstract: "Probe every device a board file names, sample them and report rate, noise and the switch state.",
        discussion: "Servos move only with --sweep and the safety switch in ARM; the throttle never moves.")

    @Option(help: "Board file, e.g. Hardware/boards/rpi4-pca9685.toml.")
    var board: String

    @Flag(help: "Run against the register-level emulators instead of the hardware (how CI tests a board file).")
    var emulated = false

    @Option(help: "How long to sample, in seconds.")
    var seconds: Double = 5

    @Flag(help: "Move each surface servo either side of its safe pulse width (switch must be in ARM).")
    var sweep = false

    @Flag(help: "With --emulated: start the emulated safety switch in ARM.")
    var emulatedSwitchArmed = false

    func validate() throws {
        guard seconds.isFinite, seconds >= 0.1, seconds <= 3600 else {
            throw ValidationError("--seconds must be between 0.1 and 3600, got \(seconds)")
        }
    }

    func run() throws {
        let report: BoardCheckReport
        let busBudget: I2CBusBudget
        do {
            let config = try BoardConfig.load(fromFile: board)
            let selection = BoardSelection(emulated: emulated, emulatedSwitchArmed: emulatedSwitchArmed)
            let hardware = try selection.hardware(for: config)
            // The bus-time budget of the flight task table on this board's buses, as `kestrel fly` checks it.
            busBudget = try FlightStack.busBudget(board: config, hardware: hardware)
            report = BoardCheck.run(board: config, hardware: hardware, options: .init(seconds: seconds, sweep: sweep))
        } catch let error as ConfigFileError {
            throw UserFacingError(error)
        }
        print(report.description)
        print(busBudget.description)
        if report.devices.contains(where: { !$0.present }) { throw ExitCode(2) }
        if !busBudget.fits { throw ExitCode(3) }
    }
}
