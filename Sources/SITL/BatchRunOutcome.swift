import Foundation

/// How one run of a batch ended: its summary (it flew, perhaps into a crash), or why it could not be flown.
public struct BatchRunOutcome: Sendable {
    public var run: BatchRun
    public var result: Result<ClosedLoopSummary, BatchRunFailure>
    /// Wall time of the run from reading its scenario to its summary, s.
    public var wallS: Double

    /// What `kestrel sim` alone would exit with for this run: 0 flown, 3 crashed, 1 not flown (bad input).
    public var exitStatus: Int32 {
        switch result {
        case .success(let summary): summary.crashed ? 3 : 0
        case .failure: 1
        }
    }

    /// The run's result line: exactly the `--summary-json` object of the run alone, plus `wall_s`, `exit_status`,
    /// `error` (null when it flew) and the manifest `line`. A run that was not flown has only the scenario and seed
    /// it was asked for besides those.
    public var jsonObject: [String: Any] {
        var object: [String: Any]
        var error: Any = NSNull()
        switch result {
        case .success(let summary):
            object = summary.jsonObject
        case .failure(let failure):
            object = ["scenario": run.scenarioPath, "seed": run.seed]
            error = failure.description
        }
        object["wall_s"] = wallS
        object["exit_status"] = Int(exitStatus)
        object["error"] = error
        object["line"] = run.line
        return object
    }

    /// One line of JSON (keys sorted, no newline inside) for a JSON Lines file.
    public func jsonLine() throws -> Data {
        var data = try JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes])
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// Why a batch run was not flown (its scenario could not be loaded or set up), in the words `kestrel sim` alone
/// would print.
public struct BatchRunFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
