/// The text of `kestrel log info FILE`: header, duration, dropouts, info, topics with sample counts and rates,
/// parameters and logged messages.
public enum ULogInfoReport {
    public static func render(_ log: ULogParsedFile, fileName: String, verbose: Bool = false) -> String {
        var out: [String] = []
        out.append("File: \(fileName)")
        out.append("ULog version \(log.version), start timestamp \(log.startTimestampUs) us")
        let durationUs = log.lastTimestampUs >= log.startTimestampUs ? log.lastTimestampUs - log.startTimestampUs : 0
        out.append("Duration: \(clock(durationUs)) (\(fixed3(Double(durationUs) / 1e6)) s, last timestamp \(log.lastTimestampUs) us)")
        if let t = log.truncation { out.append("Truncated: \(t)") }
        if let c = log.corruption { out.append("Corrupt: \(c) (data after this point not read)") }
        if log.dropouts.isEmpty {
            out.append("Dropouts: none")
        } else {
            let total = log.dropouts.reduce(0) { $0 + Int($1.durationMs) }
            let worst = log.dropouts.map { Int($0.durationMs) }.max() ?? 0
            out.append("Dropouts: \(log.dropouts.count), total \(total) ms, longest \(worst) ms")
        }
        out.append("Sync markers: \(log.syncCount)")

        out.append("")
        out.append("Info:")
        for kv in log.info { out.append("  \(kv.key): \(kv.value)") }
        for key in log.multiInfo.keys.sorted() {
            let values = log.multiInfo[key] ?? []
            out.append("  \(key) (multi): \(values.count) value(s)")
        }

        out.append("")
        out.append("Topics (name, multi id, samples, bytes/sample, rate):")
        let width = max(24, log.topics.map(\.name.count).max() ?? 0)
        for t in log.topics.sorted(by: { ($0.name, $0.multiId) < ($1.name, $1.multiId) }) {
            var line = "  " + t.name.padding(width) + " " + String(t.multiId).leftPadded(3)
                + " " + String(t.sampleCount).leftPadded(9) + " " + String(t.sampleBytes).leftPadded(5)
            if let rate = rateHz(t) { line += " " + fixed1(rate).leftPadded(8) + " Hz" }
            out.append(line)
        }

        out.append("")
        out.append("Parameters: \(log.initialParameters.count) initial, \(log.changedParameters.count) changed")
        if verbose {
            for p in log.initialParameters { out.append("  \(p.key) = \(p.value)") }
        }
        for c in log.changedParameters { out.append("  changed at \(c.timestampUs) us: \(c.name) = \(c.value)") }

        out.append("")
        out.append("Logged messages: \(log.loggedMessages.count)")
        for m in log.loggedMessages {
            let tag = m.tag.map { " tag \($0)" } ?? ""
            out.append("  \(fixed3(Double(m.timestampUs) / 1e6)) s \(m.levelName)\(tag): \(m.text)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Samples per second over the span of the topic's timestamps.
    static func rateHz(_ t: ULogTopicData) -> Double? {
        guard t.sampleCount >= 2, let first = t.timestampUs(sample: 0),
              let last = t.timestampUs(sample: t.sampleCount - 1), last > first else { return nil }
        return Double(t.sampleCount - 1) / (Double(last - first) / 1e6)
    }

    /// h:mm:ss
    static func clock(_ us: UInt64) -> String {
        let s = us / 1_000_000
        return "\(s / 3600):\(FlightLogDirectory.pad(Int(s / 60 % 60), 2)):\(FlightLogDirectory.pad(Int(s % 60), 2))"
    }

    static func fixed3(_ v: Double) -> String { fixed(v, 3) }
    static func fixed1(_ v: Double) -> String { fixed(v, 1) }

    /// Fixed-point text without Foundation's String(format:).
    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return String(v) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9e18 else { return String(v) }
        let n = Int64(scaled)
        let whole = n / Int64(scale), frac = n % Int64(scale)
        let fracText = FlightLogDirectory.pad(Int(frac), digits)
        return (v < 0 && n != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + fracText : "")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
