import ConfigFiles
import FuzzSupport

/// The invariant every TOML file kind shares: decoding either throws a `ConfigFileError` that names the file and,
/// for a problem of one key, that key; or returns a value that passes its own validation (`ValidatedConfig`) and
/// whatever `accept` checks for the kind. Text that is not UTF-8 reaches the decoder with replacement characters,
/// as `String(decoding:)` makes it; the loader refuses such files before decoding, so nothing is lost by that.
public enum ConfigFuzz {
    public static let source = "fuzz.toml"

    public static func check<T: Decodable>(
        _ type: T.Type, _ data: UnsafePointer<UInt8>?, _ size: Int, sectionsReadElsewhere: Set<String> = [],
        accept: (T) -> String? = { _ in nil }
    ) {
        let input = FuzzInput(data, size)
        let text = String(decoding: input.bytes, as: UTF8.self)
        let value: T
        do throws(ConfigFileError) {
            value = try ConfigFile.decode(type, fromTOML: text, source: source,
                                          sectionsReadElsewhere: sectionsReadElsewhere)
        } catch {
            checkNamesItsPlace(error)
            return
        }
        if let validated = value as? any ValidatedConfig {
            do { try validated.validate() } catch {
                violated("decoded \(T.self) fails its own validation: \(error)")
            }
        }
        if let problem = accept(value) { violated("decoded \(T.self) accepted with \(problem)") }
    }

    static func checkNamesItsPlace(_ error: ConfigFileError) {
        guard error.file == source, error.description.hasPrefix(source) else {
            violated("error does not name the file: \(error)")
        }
        switch error.problem {
        case .unreadable(let reason):
            // Only a file that cannot be read is unreadable; text in hand always gets a specific problem.
            violated("text that was read reported as unreadable: \(reason)")
        case .syntax(let line, let column, _):
            if line < 1 || column < 1 { violated("syntax error without a place: \(error)") }
        case .unknownKey(let keyPath), .missingKey(let keyPath), .wrongType(let keyPath, _),
             .invalidValue(let keyPath, _):
            if keyPath.isEmpty { violated("error does not name the key: \(error)") }
        }
    }
}

/// Checks for decoded values: the name of the first non-finite number among `values`, or nil.
public func firstNonFinite(_ values: [(String, Double)]) -> String? {
    values.first { !$0.1.isFinite }.map { "\($0.0) = \($0.1)" }
}
