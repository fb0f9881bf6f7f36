import Foundation

/// One run of a batch: a closed-loop scenario file and the seed to fly it with.
public struct BatchRun: Sendable, Equatable {
    /// The manifest line that asked for it (1-based), so a result can be traced back to its line.
    public var line: Int
    public var scenarioPath: String
    public var seed: UInt64

    public init(line: Int, scenarioPath: String, seed: UInt64) {
        self.line = line
        self.scenarioPath = scenarioPath
        self.seed = seed
    }
}

/// Why a batch manifest could not be read. A scenario that cannot be flown is not one of these: it is that run's
/// failure, reported in its own result line, so one bad file never stops the others.
public enum BatchManifestError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case badLine(file: String, line: Int, reason: String)
    case noRuns(file: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "batch manifest \(file): \(reason)"
        case .badLine(let file, let line, let reason): "batch manifest \(file):\(line): \(reason)"
        case .noRuns(let file): "batch manifest \(file): no runs (lines of `SCENARIO SEED`)"
        }
    }
}

/// The list of runs `kestrel sim --batch` flies: one `SCENARIO SEED` per line, the seed the line's last word (so a
/// path may hold spaces); blank lines and `#` comments are skipped. A relative scenario path is taken from the
/// manifest's directory, as a scenario's own paths are taken from the scenario's, so a manifest written next to its
/// scenario files works from any working directory.
public enum BatchManifest {
    public static func load(path: String) throws(BatchManifestError) -> [BatchRun] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(file: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(file: path, reason: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(BatchManifestError) -> [BatchRun] {
        let directory = (file as NSString).deletingLastPathComponent
        var runs: [BatchRun] = []
        // Split on "\n" alone so a CRLF line keeps its number; the "\r" goes with the trimmed whitespace.
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            guard let gap = line.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
                throw .badLine(file: file, line: number, reason: "expected `SCENARIO SEED`, got '\(line)'")
            }
            let seedText = String(line[line.index(after: gap)...])
            let path = line[..<gap].trimmingCharacters(in: .whitespaces)
            guard let seed = UInt64(seedText), seedText.allSatisfy(\.isASCII), seedText.first?.isNumber == true
            else {
                throw .badLine(file: file, line: number,
                               reason: "seed '\(seedText)' is not an integer in 0...\(UInt64.max)")
            }
            let resolved = path.hasPrefix("/") || directory.isEmpty
                ? path : (directory as NSString).appendingPathComponent(path)
            runs.append(BatchRun(line: number, scenarioPath: resolved, seed: seed))
        }
        guard !runs.isEmpty else { throw .noRuns(file: file) }
        return runs
    }
}
