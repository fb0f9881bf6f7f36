/// The text of `kestrel log export FILE --topic X --csv`: one row per sample, `timestamp` first, columns named
/// as pyulog's ulog2csv names them (`q[0]`, `nested.field`), and a `char[N]` field as one text column.
public enum ULogCSVExporter {
    enum OutputColumn {
        case scalar(Int)
        /// Column indices of the characters of one `char[N]` field.
        case text(name: String, columns: [Int])
    }

    public static func csv(_ log: ULogParsedFile, topic: String, multiId: UInt8 = 0) throws(ULogExportError) -> String {
        guard let t = log.topic(topic, multiId: multiId) else {
            let available = log.topics.map { $0.multiId == 0 ? $0.name : "\($0.name)#\($0.multiId)" }.sorted()
            throw .unknownTopic(topic, multiId: multiId, available: available)
        }
        let columns = outputColumns(t)
        var out = columns.map { c in
            switch c {
            case .scalar(let i): t.columns[i].name
            case .text(let name, _): name
            }
        }.joined(separator: ",") + "\n"
        for row in 0..<t.sampleCount {
            var first = true
            for c in columns {
                if !first { out += "," }
                first = false
                switch c {
                case .scalar(let i):
                    out += t.value(sample: row, column: i)?.description ?? ""
                case .text(_, let chars):
                    var bytes: [UInt8] = []
                    for i in chars {
                        guard case .char(let b)? = t.value(sample: row, column: i), b != 0 else { break }
                        bytes.append(b)
                    }
                    out += quoted(String(decoding: bytes, as: UTF8.self))
                }
            }
            out += "\n"
        }
        return out
    }

    /// `timestamp` first, then the format order; `name[i]` char columns merged into `name`.
    static func outputColumns(_ t: ULogTopicData) -> [OutputColumn] {
        var result: [OutputColumn] = []
        var textIndex: [String: Int] = [:]
        for (i, c) in t.columns.enumerated() where !c.name.hasPrefix("_padding") {
            if c.type == .char, c.name.hasSuffix("]"), let open = c.name.lastIndex(of: "[") {
                let base = String(c.name[..<open])
                if let at = textIndex[base], case .text(let n, let cols) = result[at] {
                    result[at] = .text(name: n, columns: cols + [i])
                } else {
                    textIndex[base] = result.count
                    result.append(.text(name: base, columns: [i]))
                }
            } else {
                result.append(.scalar(i))
            }
        }
        if let ts = t.timestampColumn, let at = result.firstIndex(where: {
            if case .scalar(let i) = $0 { return i == ts } else { return false }
        }) {
            let c = result.remove(at: at)
            result.insert(c, at: 0)
        }
        return result
    }

    /// RFC 4180 quoting when the text needs it.
    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var r = ""
        for ch in self { r += ch == "\"" ? "\"\"" : String(ch) }
        return r
    }
}

public enum ULogExportError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknownTopic(String, multiId: UInt8, available: [String])

    public var description: String {
        switch self {
        case .unknownTopic(let n, let m, let a):
            "topic '\(n)' (multi id \(m)) is not in the log; topics: \(a.isEmpty ? "none" : a.joined(separator: ", "))"
        }
    }
}
