/// What was wrong with a configuration file (board, airframe, scenario, mission), naming the file, the key and
/// what was expected, in one line a user can act on.
public struct ConfigFileError: Error, CustomStringConvertible, Equatable {
    public enum Problem: Equatable, Sendable {
        case unreadable(reason: String)
        case syntax(line: Int, column: Int, message: String)
        case unknownKey(keyPath: String)
        case missingKey(keyPath: String)
        case wrongType(keyPath: String, found: String)
        case invalidValue(keyPath: String, reason: String)
    }

    public let file: String
    public let problem: Problem

    public init(file: String, problem: Problem) {
        self.file = file
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .unreadable(let reason):
            return "\(file): cannot read the file: \(reason)"
        case .syntax(let line, let column, let message):
            return "\(file):\(line):\(column): TOML syntax error: \(message)"
        case .unknownKey(let keyPath):
            return "\(file): unknown key '\(keyPath)' (misspelt, or a unit suffix missing such as _m, _deg, _mps?)"
        case .missingKey(let keyPath):
            return "\(file): missing required key '\(keyPath)'"
        case .wrongType(let keyPath, let found):
            return "\(file): key '\(keyPath)' has the wrong type (\(found))"
        case .invalidValue(let keyPath, let reason):
            return "\(file): key '\(keyPath)': \(reason)"
        }
    }
}

/// A semantic check on a decoded configuration value, thrown by `ValidatedConfig.validate()`.
public struct ConfigValueError: Error, CustomStringConvertible, Equatable {
    public let keyPath: String
    public let reason: String

    public init(keyPath: String, reason: String) {
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String { "'\(keyPath)': \(reason)" }
}

/// Configuration types that check their values (ranges, NaN, consistency) after decoding. Key paths in the
/// thrown error are relative to the type (`"span_m"`); the loader prefixes the path to where it sits in the file.
public protocol ValidatedConfig: Decodable {
    func validate() throws(ConfigValueError)
}

extension ValidatedConfig {
    /// Checks `value` lies in `range` and is finite; the key path names it in the error.
    public static func require(_ value: Double, in range: ClosedRange<Double>, _ keyPath: String,
                               unit: String = "") throws(ConfigValueError) {
        guard value.isFinite, range.contains(value) else {
            let u = unit.isEmpty ? "" : " \(unit)"
            throw ConfigValueError(
                keyPath: keyPath,
                reason: "\(value)\(u) is outside the accepted range \(range.lowerBound)…\(range.upperBound)\(u)")
        }
    }
}
