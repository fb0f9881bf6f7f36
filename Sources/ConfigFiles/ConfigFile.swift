import Foundation
import TOML

/// Reads TOML configuration files into typed structs. Decoding is strict: every key in the file must be one the
/// type knows, so a misspelt key or a missing unit suffix is an error rather than a silently ignored setting.
public enum ConfigFile {
    /// `sectionsReadElsewhere` names top-level tables that belong to another layer's view of the same file (the
    /// plant reads an airframe's `[aerodynamics]`, the autopilot its `[control]`): they are left to that reader,
    /// while every key of the sections this type reads is still checked.
    public static func load<T: Decodable>(_ type: T.Type, fromFile path: String,
                                          sectionsReadElsewhere: Set<String> = []) throws(ConfigFileError) -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: path, problem: .unreadable(reason: Self.reason(for: error, path: path)))
        }
        return try decode(type, fromTOML: text, source: path, sectionsReadElsewhere: sectionsReadElsewhere)
    }

    /// - Parameter overrides: values set over the file's before decoding (parameters changed from a ground
    ///   station), validated exactly as if the file held them; missing tables are created.
    /// - Parameter userInfo: what every decoder of the tree reports as its `userInfo` (a `TunableRecorder`).
    public static func decode<T: Decodable>(_ type: T.Type, fromTOML text: String, source: String,
                                            sectionsReadElsewhere: Set<String> = [],
                                            overrides: [ConfigOverride] = [],
                                            userInfo: [CodingUserInfoKey: Any] = [:]) throws(ConfigFileError) -> T {
        var table: TOMLTable
        do throws(TOMLSyntaxError) {
            table = try TOMLParser.parse(text)
        } catch {
            throw ConfigFileError(file: source, problem: .syntax(line: error.line, column: error.column,
                                                                 message: error.message))
        }
        for o in overrides { o.apply(to: &table) }
        let visited = VisitedKeys(userInfo: userInfo)
        visited.paths.formUnion(sectionsReadElsewhere)
        let value: T
        do {
            value = try TOMLTreeDecoder(value: .table(table), codingPath: [], visited: visited).decodeValue(type)
        } catch let e as DecodingError {
            throw ConfigFileError(file: source, problem: Self.problem(for: e))
        } catch let e as ValidationFailure {
            throw ConfigFileError(file: source, problem: .invalidValue(keyPath: e.keyPath, reason: e.reason))
        } catch {
            throw ConfigFileError(file: source, problem: .unreadable(reason: "\(error)"))
        }
        if let unknown = Self.firstUnvisitedKey(in: .table(table), prefix: "", visited: visited.paths,
                                                skipped: sectionsReadElsewhere) {
            throw ConfigFileError(file: source, problem: .unknownKey(keyPath: unknown))
        }
        return value
    }

    static func problem(for error: DecodingError) -> ConfigFileError.Problem {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingKey(keyPath: renderPath(context.codingPath + [key]))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .wrongType(keyPath: renderPath(context.codingPath), found: context.debugDescription)
        case .dataCorrupted(let context):
            return .invalidValue(keyPath: renderPath(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .unreadable(reason: "\(error)")
        }
    }

    /// Depth-first, in sorted key order so the error is the same on every run.
    static func firstUnvisitedKey(in value: TOMLValue, prefix: String, visited: Set<String>,
                                  skipped: Set<String> = []) -> String? {
        if let table = value.table {
            for key in table.keys.sorted() {
                // No Kestrel file has an empty key (TOML allows `'' = 1`): name it as written, not as nothing.
                guard !key.isEmpty else { return prefix.isEmpty ? "''" : "\(prefix).''" }
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                guard visited.contains(path) else { return path }
                if prefix.isEmpty, skipped.contains(key) { continue }
                if let child = table[key], let found = firstUnvisitedKey(in: child, prefix: path, visited: visited) {
                    return found
                }
            }
        } else if let array = value.array {
            for index in 0..<array.count {
                let path = "\(prefix)[\(index)]"
                if let found = firstUnvisitedKey(in: array[index], prefix: path, visited: visited) { return found }
            }
        }
        return nil
    }

    static func reason(for error: Error, path: String) -> String {
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError { return "no such file" }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoPermissionError { return "permission denied" }
        return ns.localizedDescription
    }
}
