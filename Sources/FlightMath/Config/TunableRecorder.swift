/// Collects every tunable a configuration decoder reads — the value it took (the file's, or the default when the
/// key is absent) and its accepted range — so the autopilot can offer each one as a parameter without a second,
/// hand-kept list that would drift from the decoders. Active only inside `recording(_:)`; decoding elsewhere pays
/// one task-local read per key.
public final class TunableRecorder: @unchecked Sendable {
    /// One tunable as decoded. `path` is the TOML key path (`["control", "tecs", "height_tc_s"]`).
    public struct Entry: Equatable, Sendable {
        public enum Kind: Equatable, Sendable { case real, integer, flag }
        public var path: [String]
        public var value: Double
        public var range: ClosedRange<Double>
        public var kind: Kind
        public var unit: String
        /// The component of a vector tunable (`[x, y, z]` in the file), nil for a scalar.
        public var element: Int?
    }

    @TaskLocal static var current: TunableRecorder?

    // Written only by the decoding that `recording` runs, on the caller's thread, before it returns.
    private var recorded: [Entry] = []

    private init() {}

    /// Runs `decode` and returns its result with every tunable it read, in decoding order.
    public static func recording<T, E: Error>(_ decode: () throws(E) -> T) throws(E) -> (T, [Entry]) {
        let recorder = TunableRecorder()
        let result: Result<T, E> = $current.withValue(recorder) {
            do throws(E) { return .success(try decode()) } catch { return .failure(error) }
        }
        return (try result.get(), recorder.recorded)
    }

    /// Called by decoders for each tunable they read.
    public static func note(_ codingPath: [any CodingKey], _ value: Double, _ range: ClosedRange<Double>,
                            kind: Entry.Kind = .real, unit: String = "") {
        guard let recorder = current else { return }
        // Array elements (mixer channels) are not parameters: their index is not a stable name.
        guard codingPath.allSatisfy({ $0.intValue == nil }) else { return }
        recorder.recorded.append(Entry(path: codingPath.map(\.stringValue), value: value, range: range, kind: kind,
                                       unit: unit, element: nil))
    }

    /// Called by decoders for a tunable that is a short list of numbers (a vector in the file): one entry each.
    public static func noteVector(_ codingPath: [any CodingKey], _ values: [Double], _ range: ClosedRange<Double>,
                                  unit: String = "") {
        guard let recorder = current, codingPath.allSatisfy({ $0.intValue == nil }) else { return }
        for (i, value) in values.enumerated() {
            recorder.recorded.append(Entry(path: codingPath.map(\.stringValue), value: value, range: range,
                                           kind: .real, unit: unit, element: i))
        }
    }
}
