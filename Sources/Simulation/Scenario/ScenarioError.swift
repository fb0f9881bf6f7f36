import ConfigFiles

/// Why a scenario could not be loaded or run, naming the file and what was wrong.
public enum ScenarioError: Error, CustomStringConvertible, Equatable {
    case scenarioFile(ConfigFileError)
    case airframeFile(ConfigFileError)
    /// A value that is valid alone but not with this airframe (a rudder command for a flying wing).
    case mismatch(file: String, keyPath: String, reason: String)
    case setup(file: String, PlantSetupError)
    case output(path: String, reason: String)

    public var description: String {
        switch self {
        case .scenarioFile(let e), .airframeFile(let e): return e.description
        case .mismatch(let file, let keyPath, let reason): return "\(file): key '\(keyPath)': \(reason)"
        case .setup(let file, let e): return "\(file): \(e.description)"
        case .output(let path, let reason): return "\(path): cannot write: \(reason)"
        }
    }
}
