import ConfigFiles
#if canImport(Glibc)
import Glibc
#endif

/// Changes one setting of a board file in place, as its author would by hand: the line is rewritten (its comment
/// kept) or added to its table, everything else stays byte for byte. The result is decoded before it is returned,
/// so an edit never leaves a file the daemon would refuse.
public enum BoardFileEdit {
    /// `[pwm] oscillator_hz = hz`, replacing the key's value or adding it after the table's `address`.
    public static func settingPCA9685Oscillator(_ hz: Int, inText text: String, source: String)
        throws(ConfigFileError) -> String
    {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func isHeader(_ line: String) -> Bool { line.trimmingLeadingSpaces.hasPrefix("[") }
        guard let header = lines.firstIndex(where: { $0.trimmingLeadingSpaces.hasPrefix("[pwm]") }) else {
            throw ConfigFileError(file: source, problem: .missingKey(keyPath: "pwm"))
        }
        let end = lines[(header + 1)...].firstIndex(where: isHeader) ?? lines.count
        let body = (header + 1)..<end
        if let existing = body.first(where: { key(of: lines[$0]) == "oscillator_hz" }) {
            let line = lines[existing]
            let comment = line.firstIndex(of: "#").map { "  " + line[$0...] } ?? ""
            lines[existing] = "oscillator_hz = \(hz)\(comment)"
        } else {
            let after = body.last(where: { key(of: lines[$0]) == "address" }) ?? header
            lines.insert("oscillator_hz = \(hz)  # measured with kestrel check-board --calibrate-pwm", at: after + 1)
        }
        let edited = lines.joined(separator: "\n")
        let board = try ConfigFile.decode(BoardConfig.self, fromTOML: edited, source: source)
        guard case .pca9685(_, _, let decoded) = board.pwm.driver, decoded == Double(hz) else {
            throw ConfigFileError(file: source, problem: .invalidValue(
                keyPath: "pwm.oscillator_hz", reason: "the edited file does not read back \(hz) Hz"))
        }
        return edited
    }

    /// The bare key a `key = value` line sets, if it is one.
    static func key(of line: String) -> String? {
        let trimmed = line.trimmingLeadingSpaces
        guard let equals = trimmed.firstIndex(of: "="), !trimmed.hasPrefix("#") else { return nil }
        return String(trimmed[..<equals]).trimmingCharacters(inSet: " \t")
    }

    /// Writes `text` to `path` through a temporary file and a rename, so a crash leaves the old file or the new one.
    public static func replaceFile(_ path: String, with text: String) throws(ConfigFileError) {
        let temporary = path + ".kestrel-new"
        guard let file = fopen(temporary, "w") else {
            throw ConfigFileError(file: path, problem: .unreadable(reason: "cannot write \(temporary): "
                                                                   + String(cString: strerror(errno))))
        }
        let written = fputs(text, file) >= 0
        let closed = fclose(file) == 0
        guard written, closed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ConfigFileError(file: path, problem: .unreadable(reason: "cannot replace the file: \(reason)"))
        }
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: Substring { drop { $0 == " " || $0 == "\t" } }

    fileprivate func trimmingCharacters(inSet set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(inSet set: String) -> String { String(self).trimmingCharacters(inSet: set) }
}
