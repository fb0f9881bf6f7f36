/// A TOML table: keys in the order the text first named them, each with its value. Equality ignores the order, as
/// TOML does.
public struct TOMLTable: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    public init() {}

    public init(_ pairs: KeyValuePairs<String, TOMLValue>) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// Setting a new key appends it; setting `nil` removes the key.
    public subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The pairs in key order.
    public var entries: [(key: String, value: TOMLValue)] {
        keys.compactMap { k in values[k].map { (k, $0) } }
    }

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool { a.values == b.values }
}
