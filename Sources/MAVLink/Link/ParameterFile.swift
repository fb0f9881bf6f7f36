/// A parameter file: one `NAME value` per line, `#` comments and blank lines ignored, names as MAVLink parameter
/// ids (1…16 printable ASCII bytes). The autopilot keeps its parameter values in one; what the names mean and which
/// values are allowed is the autopilot's business.
public enum ParameterFile {
    public struct Entry: Equatable, Sendable {
        public var id: ParameterID
        public var value: Double
        /// 1-based line the entry came from (0 for entries built in code).
        public var line: Int

        public init(id: ParameterID, value: Double, line: Int = 0) {
            self.id = id
            self.value = value
            self.line = line
        }
    }

    /// Parses the text of a file; `path` only names the file in errors. A name given twice is an error (which
    /// value was meant?).
    public static func parse(_ text: String, path: String) throws(ParameterFileError) -> [Entry] {
        var entries: [Entry] = []
        var seen: [ParameterID: Int] = [:]
        var lineNumber = 0
        // Characters, not bytes: "\r\n" is one Character in Swift, so split on every kind of line break.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            lineNumber += 1
            var line = rawLine
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw .malformedLine(path: path, line: lineNumber, text: String(rawLine))
            }
            let name = String(fields[0])
            guard let id = ParameterID(name) else { throw .badName(path: path, line: lineNumber, name: name) }
            guard let value = Double(fields[1]), value.isFinite else {
                throw .badValue(path: path, line: lineNumber, name: name, value: String(fields[1]))
            }
            if let first = seen[id] { throw .duplicate(path: path, line: lineNumber, name: name, firstLine: first) }
            seen[id] = lineNumber
            entries.append(Entry(id: id, value: value, line: lineNumber))
        }
        return entries
    }

    /// The file text for `entries`, in the given order. Integral values are written without a fraction; others
    /// with the shortest text that reads back to the same Double (every value reads back bit for bit).
    public static func format(_ entries: [Entry], header: String? = nil) -> String {
        var text = ""
        if let header {
            for line in header.split(separator: "\n", omittingEmptySubsequences: false) { text += "# \(line)\n" }
        }
        for entry in entries {
            let value = entry.value
            // -0 has no Int64 form: written as "0" it would read back as +0.
            let valueText =
                value == 0 && value.sign == .minus ? "-0"
                : value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            text += "\(entry.id) \(valueText)\n"
        }
        return text
    }
}

/// Why a parameter file was refused; names the file, the line and the offending text.
public enum ParameterFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedLine(path: String, line: Int, text: String)
    case badName(path: String, line: Int, name: String)
    case badValue(path: String, line: Int, name: String, value: String)
    case duplicate(path: String, line: Int, name: String, firstLine: Int)

    public var description: String {
        switch self {
        case let .malformedLine(path, line, text): "\(path):\(line): expected 'NAME value', found '\(text)'"
        case let .badName(path, line, name):
            "\(path):\(line): '\(name)' is not a parameter name (1-16 printable ASCII characters)"
        case let .badValue(path, line, name, value): "\(path):\(line): \(name): '\(value)' is not a finite number"
        case let .duplicate(path, line, name, first): "\(path):\(line): \(name) is already set on line \(first)"
        }
    }
}
