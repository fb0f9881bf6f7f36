/// The text of `kestrel log export FILE --topic X --csv`: one row per sample, `timestamp` first, columns named
/// as pyulog's ulog2csv names them (`q[0]`, `nested.field`).
public enum ULogCSVExporter {
    public static func csv(_ log: ULogParsedFile, topic: String, multiId: UInt8 = 0) throws(ULogExportError) -> String {
        guard let t = log.topic(topic, multiId: multiId) else {
            let available = log.topics.map { $0.multiId == 0 ? $0.name : "\($0.name)#\($0.multiId)" }.sorted()
            throw .unknownTopic(topic, multiId: multiId, available: available)
        }
        // timestamp first, then the other columns in format order
        var order = Array(t.columns.indices)
        if let ts = t.timestampColumn { order.remove(at: ts); order.insert(ts, at: 0) }
        var out = order.map { t.columns[$0].name }.joined(separator: ",") + "\n"
        for i in 0..<t.sampleCount {
            var first = true
            for c in order {
                if !first { out += "," }
                first = false
                out += t.value(sample: i, column: c)?.description ?? ""
            }
            out += "\n"
        }
        return out
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
