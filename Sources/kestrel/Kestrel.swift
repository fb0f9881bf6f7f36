import ArgumentParser

@main
struct Kestrel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kestrel",
        abstract: "Flight autonomy stack for small fixed-wing drones.",
        subcommands: [SimCommand.self, CheckBoardCommand.self, LogCommand.self, ApproveCommand.self, FlyCommand.self,
                      AirframeCommand.self])
}

/// Prints an error the way every subcommand reports bad input: one line, to stderr, exit status 1.
struct UserFacingError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
    init(_ error: any Error) { description = "\(error)" }
}
