/// How a new log is named: by UTC start time when the clock is known (GPS time), else by sequence number.
public enum FlightLogNaming: Sendable, Equatable {
    /// `kestrel_YYYY-MM-DD_HH-MM-SS.ulg`
    case dated(utcSeconds: Int64)
    /// `log_NNN.ulg`, one more than the highest existing number.
    case sequential
}

/// The directory logs live in: naming, listing and rotation. Runs on the log thread or at start-up.
public struct FlightLogDirectory: Sendable {
    public let path: String

    public struct Entry: Equatable, Sendable {
        public let name: String
        public let sizeBytes: Int
        public let modifiedNs: Int64
    }

    public init(path: String) { self.path = path }

    public func create() throws(FlightLogFileError) { try POSIXFile.makeDirectories(path) }

    /// Kestrel logs in the directory, oldest first (by modification time, then name).
    public func logs() throws(FlightLogFileError) -> [Entry] {
        try POSIXFile.listFiles(path)
            .filter { Self.isLogName($0.name) }
            .map { Entry(name: $0.name, sizeBytes: $0.sizeBytes, modifiedNs: $0.modifiedNs) }
            .sorted { ($0.modifiedNs, Self.sequenceNumber($0.name) ?? -1, $0.name)
                    < ($1.modifiedNs, Self.sequenceNumber($1.name) ?? -1, $1.name) }
    }

    /// Deletes the oldest logs until at most `maxLogCount - 1` remain and their total leaves `reserveBytes` within
    /// `maxTotalBytes`, making room for one new log. Returns the names removed.
    @discardableResult
    public func rotate(maxLogCount: Int, maxTotalBytes: Int?, reserveBytes: Int) throws(FlightLogFileError) -> [String] {
        var existing = try logs()
        var removed: [String] = []
        func overLimit() -> Bool {
            if existing.count > max(0, maxLogCount - 1) { return true }
            if let cap = maxTotalBytes, !existing.isEmpty,
               existing.reduce(0, { $0 + $1.sizeBytes }) + reserveBytes > cap { return true }
            return false
        }
        while overLimit(), let oldest = existing.first {
            try POSIXFile.remove(path + "/" + oldest.name)
            removed.append(oldest.name)
            existing.removeFirst()
        }
        if !removed.isEmpty { try POSIXFile.syncDirectory(path) }
        return removed
    }

    /// A name not yet used in the directory.
    public func newLogName(_ naming: FlightLogNaming) throws(FlightLogFileError) -> String {
        let taken = Set(try POSIXFile.listFiles(path).map(\.name))
        switch naming {
        case .dated(let seconds):
            let base = "kestrel_" + Self.utcStamp(seconds)
            if !taken.contains(base + ".ulg") { return base + ".ulg" }
            var n = 1
            while taken.contains("\(base)_\(n).ulg") { n += 1 }
            return "\(base)_\(n).ulg"
        case .sequential:
            let highest = taken.compactMap(Self.sequenceNumber).max() ?? 0
            return "log_" + Self.pad(highest + 1, 3) + ".ulg"
        }
    }

    /// `log_NNN.ulg` → NNN.
    public static func sequenceNumber(_ name: String) -> Int? {
        guard name.hasPrefix("log_"), name.hasSuffix(".ulg") else { return nil }
        let digits = name.dropFirst(4).dropLast(4)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    public static func isLogName(_ name: String) -> Bool {
        if sequenceNumber(name) != nil { return true }
        guard name.hasPrefix("kestrel_"), name.hasSuffix(".ulg") else { return false }
        let stamp = Array(name.dropFirst(8).dropLast(4).utf8)
        guard stamp.count >= 19 else { return false }
        // YYYY-MM-DD_HH-MM-SS, optionally followed by _N
        let pattern = Array("dddd-dd-dd_dd-dd-dd".utf8)
        for (c, p) in zip(stamp, pattern) {
            if p == UInt8(ascii: "d") { guard c >= 0x30 && c <= 0x39 else { return false } } else if c != p { return false }
        }
        let rest = stamp.dropFirst(19)
        return rest.isEmpty || (rest.first == UInt8(ascii: "_") && rest.count > 1
                                && rest.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
    }

    /// UTC `YYYY-MM-DD_HH-MM-SS` of Unix seconds (proleptic Gregorian; days-to-civil conversion).
    public static func utcStamp(_ unixSeconds: Int64) -> String {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondOfDay = unixSeconds - days * 86_400
        // Shift the epoch to 0000-03-01 so leap days fall at the end of a 400-year era's years.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return pad(Int(year), 4) + "-" + pad(Int(month), 2) + "-" + pad(Int(day), 2) + "_"
            + pad(Int(secondOfDay / 3600), 2) + "-" + pad(Int(secondOfDay / 60 % 60), 2) + "-"
            + pad(Int(secondOfDay % 60), 2)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
