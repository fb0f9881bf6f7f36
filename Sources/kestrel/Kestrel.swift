import ArgumentParser

@main
struct Kestrel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kestrel",
        abstract: "Flight autonomy stack for small fixed-wing drones.",
        subcommands: [])
}
