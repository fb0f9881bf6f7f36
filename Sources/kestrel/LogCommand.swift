import ArgumentParser
import FlightLog

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Read Kestrel's ULog flight logs.",
        subcommands: [Info.self, Export.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Header, topics with sample counts, info, parameters and duration of a log.")

        @Argument(help: "ULog file (.ulg).")
        var file: String

        @Flag(name: .shortAndLong, help: "Also list every parameter and logged string.")
        var verbose = false

        func run() throws {
            do {
                print(try FlightLogCommandText.info(path: file, verbose: verbose), terminator: "")
            } catch {
                throw UserFacingError(error)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export one topic of a log.")

        @Argument(help: "ULog file (.ulg).")
        var file: String

        @Option(help: "Topic name, e.g. vehicle_attitude.")
        var topic: String

        @Option(help: "Instance of a multi-instance topic.")
        var multiId: UInt8 = 0

        @Flag(help: "CSV output (the only format so far; kept explicit so scripts say what they expect).")
        var csv = false

        func validate() throws {
            guard csv else { throw ValidationError("choose an output format: --csv") }
        }

        func run() throws {
            do {
                print(try FlightLogCommandText.csv(path: file, topic: topic, multiId: multiId), terminator: "")
            } catch {
                throw UserFacingError(error)
            }
        }
    }
}
