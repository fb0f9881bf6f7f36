import Foundation
import TOMLKit

/// One file, several readers: an airframe file holds the plant's sections (read by the simulator) and the
/// autopilot's sections (read by the autopilot). Each reader decodes strictly what it owns and names the top-level
/// sections that belong to other readers; anything else it does not know is still an unknown-key error, so a
/// misspelt section name (`[sensros]`) cannot slip through between two readers.
extension ConfigFile {
    public static func load<T: Decodable>(_ type: T.Type, fromFile path: String,
                                          leavingToOtherReaders others: Set<String>) throws(ConfigFileError) -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigFileError(file: path, problem: .unreadable(reason: Self.reason(for: error, path: path)))
        }
        return try decode(type, fromTOML: text, source: path, leavingToOtherReaders: others)
    }

    public static func decode<T: Decodable>(_ type: T.Type, fromTOML text: String, source: String,
                                            leavingToOtherReaders others: Set<String>) throws(ConfigFileError) -> T {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigFileError(
                file: source, problem: .syntax(line: e.source.begin.line, column: e.source.begin.column,
                                               message: e.description))
        } catch {
            throw ConfigFileError(file: source, problem: .unreadable(reason: "\(error)"))
        }
        let visited = VisitedKeys()
        let value: T
        do {
            value = try TOMLTreeDecoder(value: table, codingPath: [], visited: visited).decodeValue(type)
        } catch let e as DecodingError {
            throw ConfigFileError(file: source, problem: Self.problem(for: e))
        } catch let e as ValidationFailure {
            throw ConfigFileError(file: source, problem: .invalidValue(keyPath: e.keyPath, reason: e.reason))
        } catch {
            throw ConfigFileError(file: source, problem: .unreadable(reason: "\(error)"))
        }
        for key in table.keys.sorted() where !others.contains(key) {
            guard visited.paths.contains(key) else {
                throw ConfigFileError(file: source, problem: .unknownKey(keyPath: key))
            }
            if let child = table[key], let unknown = firstUnvisitedKey(in: child, prefix: key, visited: visited.paths) {
                throw ConfigFileError(file: source, problem: .unknownKey(keyPath: unknown))
            }
        }
        return value
    }
}
