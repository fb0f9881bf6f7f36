/// The texts `kestrel log info` and `kestrel log export` print, from a file path. Reading is tolerant: a cut
/// tail is reported, corrupt data ends the read and is reported, and only a file that is not ULog at all (or
/// cannot be opened) throws.
public enum FlightLogCommandText {
    public static func info(path: String, verbose: Bool = false) throws -> String {
        let log = try ULogReader.parse(try readFlightLogFile(path: path), mode: .salvage)
        return ULogInfoReport.render(log, fileName: path, verbose: verbose)
    }

    public static func csv(path: String, topic: String, multiId: UInt8 = 0) throws -> String {
        let log = try ULogReader.parse(try readFlightLogFile(path: path), mode: .salvage)
        return try ULogCSVExporter.csv(log, topic: topic, multiId: multiId)
    }
}
