import ArgumentParser
import Foundation
import SITL

/// Why `kestrel sim --batch` did not start, or could not report: one line, naming the option, line or file.
enum SimBatchError: Error, CustomStringConvertible {
    case optionNotInBatch(option: String, reason: String)
    case needsBatch(option: String)
    case jobs(Int)
    case durationS(Double)
    case manifest(BatchManifestError)
    case output(file: String, reason: String)

    var description: String {
        switch self {
        case .optionNotInBatch(let option, let reason): "--batch: \(option) does not apply: \(reason)"
        case .needsBatch(let option): "\(option) needs --batch"
        case .jobs(let n): "--jobs must be between 1 and \(SimCommand.maxBatchJobs), got \(n)"
        case .durationS(let d): "--duration-s must be between 0 and 86400, got \(d)"
        case .manifest(let e): e.description
        case .output(let file, let reason): "--summary-jsonl: cannot write '\(file)': \(reason)"
        }
    }
}

extension SimCommand {
    static let maxBatchJobs = 1024

    /// The first option given that means nothing for many runs at once, and why; nil if none.
    var batchConflict: (option: String, reason: String)? {
        let lockstep = "batch runs fly in fast time, without a ground link"
        let conflicts: [(given: Bool, option: String, reason: String)] = [
            (scenario != nil, "the scenario argument", "the manifest lists the runs' scenarios"),
            (seed != nil, "--seed", "each run's seed is its manifest line's"),
            (realtime, "--realtime", lockstep),
            (speed != nil, "--speed", lockstep),
            (mavlink != nil, "--mavlink", lockstep),
            (armFromLink, "--arm-from-link", lockstep),
            (mavlinkKey != nil, "--mavlink-key", lockstep),
            (hilServe != nil, "--hil-serve", "a HIL board serves one plant on the wall clock"),
            (launchDelayS != nil, "--launch-delay-s", "it is for --hil-serve"),
            (operatorLink != nil, "--operator-link", "it is for --hil-serve"),
            (out != nil, "--out", "batch runs write no trajectory CSV"),
            (csvRateHz != nil, "--csv-rate-hz", "batch runs write no trajectory CSV"),
            (logDir != nil, "--log-dir", "batch runs write no flight log"),
            (summaryJson != nil, "--summary-json", "use --summary-jsonl (one line per run)"),
        ]
        return conflicts.first(where: \.given).map { ($0.option, $0.reason) }
    }

    /// The CPUs the system has online now (a core-hour figure is taken over them).
    static var onlineCPUs: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    func runBatch(manifest: String) throws {
        if let conflict = batchConflict {
            throw SimBatchError.optionNotInBatch(option: conflict.option, reason: conflict.reason)
        }
        let jobs = self.jobs ?? Self.onlineCPUs
        guard jobs >= 1, jobs <= Self.maxBatchJobs else { throw SimBatchError.jobs(jobs) }
        if let durationS, !(durationS.isFinite && durationS > 0 && durationS <= 86_400) {
            throw SimBatchError.durationS(durationS)
        }
        let runs: [BatchRun]
        do { runs = try BatchManifest.load(path: manifest) } catch { throw SimBatchError.manifest(error) }
        // Opened before the first run, so an output that cannot be written costs no flying.
        let output = try BatchOutput(path: summaryJsonl)
        var counts = (flown: 0, crashed: 0, failed: 0)
        var writeFailure: String?
        let start = ContinuousClock.now
        BatchRunner.run(runs, jobs: jobs, durationS: durationS, parameterFilePath: params) { outcome in
            switch outcome.exitStatus {
            case 0: counts.flown += 1
            case Self.crashExitStatus: counts.crashed += 1
            default: counts.failed += 1
            }
            do { try output.write(outcome.jsonLine()) } catch {
                writeFailure = (error as NSError).localizedDescription
                return false
            }
            return true
        }
        if let writeFailure { throw SimBatchError.output(file: output.name, reason: writeFailure) }
        let wall = ContinuousClock.now - start
        let wallS = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        FileHandle.standardError.write(Data(String(
            format: "kestrel sim --batch: %d runs on %d threads in %.1f s wall: %d flown, %d crashed, %d not flown\n",
            runs.count, min(jobs, runs.count), wallS, counts.flown, counts.crashed, counts.failed).utf8))
        if counts.failed > 0 { throw ExitCode.failure }
        if counts.crashed > 0 { throw ExitCode(Self.crashExitStatus) }
    }
}

/// Where the batch's JSON lines go: a file, or standard output.
private struct BatchOutput {
    let handle: FileHandle
    let name: String

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            name = "standard output"
            return
        }
        name = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SimBatchError.output(file: path, reason: "it is a directory")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw SimBatchError.output(file: path, reason: "cannot create it")
        }
        do { handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path)) } catch {
            throw SimBatchError.output(file: path, reason: (error as NSError).localizedDescription)
        }
    }

    func write(_ line: Data) throws { try handle.write(contentsOf: line) }
}
