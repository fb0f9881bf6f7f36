import ArgumentParser
import Foundation
import FlightLog
import Vehicle
import LogReplay

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Read Kestrel's ULog flight logs.",
        subcommands: [Info.self, Export.self, Replay.self])

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

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-run the navigation filter on a log's sensor samples and compare with the logged estimate.",
            discussion: """
                The estimator configuration comes from the log's EKF_* parameters; --airframe starts from an \
                airframe file's [estimation] section instead, and --param overrides single values. Differences \
                are replayed minus logged; a log replayed with the code and parameters it was flown with shows 0.
                """)

        @Argument(help: "ULog file (.ulg) written by kestrel sim or kestrel fly.")
        var file: String

        @Option(help: "Write the per-sample differences to this CSV file.")
        var csv: String?

        @Option(name: .customLong("param"), help: "Override an estimator parameter: NAME=VALUE (repeatable).")
        var params: [String] = []

        @Option(help: "Take the estimator configuration from this airframe file instead of the log.")
        var airframe: String?

        @Option(help: "Exit 1 when an attitude difference (RMS) exceeds this many degrees.")
        var maxAttitudeDeg: Double?

        @Option(help: "Exit 1 when a position difference (RMS) exceeds this many metres.")
        var maxPositionM: Double?

        func run() throws {
            do {
                var overrides: [(name: String, value: Double)] = []
                for p in params { overrides.append(try ReplayConfiguration.parseOverride(p)) }
                let base = try airframe.map { path in try AirframeParameters.load(airframePath: path) }
                let result = try LogReplay.run(path: file, base: base, overrides: overrides)
                print(ReplayReport.text(result), terminator: "")
                if let csv {
                    do {
                        try ReplayReport.csv(result).write(toFile: csv, atomically: true, encoding: .utf8)
                    } catch {
                        throw UserFacingError("\(csv): cannot write the CSV: \((error as NSError).localizedDescription)")
                    }
                    print("differences: \(csv)")
                }
                let stats = Dictionary(result.statistics.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                var exceeded: [String] = []
                if let limit = maxAttitudeDeg {
                    for k in ["roll", "pitch", "yaw"] where (stats[k]?.rms ?? 0) > limit { exceeded.append(k) }
                }
                if let limit = maxPositionM {
                    for k in ["horizontal position", "vertical position"] where (stats[k]?.rms ?? 0) > limit {
                        exceeded.append(k)
                    }
                }
                if !exceeded.isEmpty {
                    throw UserFacingError("replay differs from the log beyond the limit: "
                                          + exceeded.joined(separator: ", "))
                }
            } catch let error as UserFacingError {
                throw error
            } catch {
                throw UserFacingError(error)
            }
        }
    }
}
