/// The small `key = value` text format of request and approval files: one pair per line, `#` starts a comment,
/// blank lines are ignored, keys are unique. Parsing only splits lines; the typed readers check keys and values.
struct KeyValueText {
    struct Entry {
        let key: String
        let value: String
        let line: Int
    }

    enum Problem: Error, Equatable {
        case notUTF8
        case notKeyValue(line: Int)
        case duplicateKey(String, line: Int)
    }

    let entries: [Entry]

    init(bytes: [UInt8]) throws(Problem) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        var entries: [Entry] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let line = content.trimmingSpaces
            if line.isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .notKeyValue(line: lineNumber) }
            let key = String(parts[0].trimmingSpaces)
            let value = String(parts[1].trimmingSpaces)
            guard !key.isEmpty, !value.isEmpty else { throw .notKeyValue(line: lineNumber) }
            if entries.contains(where: { $0.key == key }) { throw .duplicateKey(key, line: lineNumber) }
            entries.append(Entry(key: key, value: value, line: lineNumber))
        }
        self.entries = entries
    }

    func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

    static func render(_ pairs: [(String, String)], header: String) -> String {
        header + pairs.map { "\($0.0) = \($0.1)\n" }.joined()
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return s
    }
}

extension StringProtocol {
    /// Whitespace-separated fields.
    var fields: [Substring] { self.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { Substring($0) } }
}
