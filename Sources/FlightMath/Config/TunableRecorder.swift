/// Collects every tunable a configuration decoder reads — the value it took (the file's, or the default when the
/// key is absent) and its accepted range — so the autopilot can offer each one as a parameter without a second,
/// hand-kept list that would drift from the decoders. The recorder travels in the decoder's `userInfo` (under
/// `userInfoKey`); a decoding without one records nothing.
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

    /// The `userInfo` key under which a decoder carries its recorder.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "kestrel.tunableRecorder")!

    // Written only by the decoding that `recording` runs, on the caller's thread, before it returns.
    private var recorded: [Entry] = []

    private init() {}

    /// Runs `decode` with a `userInfo` that carries a new recorder (hand it to the decoder) and returns the result
    /// with every tunable the decoding read, in decoding order.
    public static func recording<T, E: Error>(_ decode: ([CodingUserInfoKey: Any]) throws(E) -> T) throws(E)
        -> (T, [Entry])
    {
        let recorder = TunableRecorder()
        return (try decode([userInfoKey: recorder]), recorder.recorded)
    }

    /// Called by decoders for each tunable they read.
    public func note(_ codingPath: [any CodingKey], _ value: Double, _ range: ClosedRange<Double>,
                     kind: Entry.Kind = .real, unit: String = "") {
        // Array elements (mixer channels) are not parameters: their index is not a stable name.
        guard codingPath.allSatisfy({ $0.intValue == nil }) else { return }
        recorded.append(Entry(path: codingPath.map(\.stringValue), value: value, range: range, kind: kind,
                              unit: unit, element: nil))
    }

    /// Called by decoders for a tunable that is a short list of numbers (a vector in the file): one entry each.
    public func noteVector(_ codingPath: [any CodingKey], _ values: [Double], _ range: ClosedRange<Double>,
                           unit: String = "") {
        guard codingPath.allSatisfy({ $0.intValue == nil }) else { return }
        for (i, value) in values.enumerated() {
            recorded.append(Entry(path: codingPath.map(\.stringValue), value: value, range: range, kind: .real,
                                  unit: unit, element: i))
        }
    }
}

extension Decoder {
    /// The recorder this decoding reports its tunables to, if the caller passed one in `userInfo`.
    public var tunableRecorder: TunableRecorder? { userInfo[TunableRecorder.userInfoKey] as? TunableRecorder }
}

extension KeyedDecodingContainer {
    /// The recorder of the decoder this container belongs to. A container has no `userInfo` of its own; its
    /// `superDecoder()` is a decoder of the same decoding and shares the decoder's `userInfo`.
    public var tunableRecorder: TunableRecorder? { (try? superDecoder())?.tunableRecorder }
}
