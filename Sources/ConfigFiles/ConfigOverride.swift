import TOML

/// One value set over a configuration file's own: a key path (`["control", "tecs", "height_tc_s"]`) and the value
/// in the file's units.
public struct ConfigOverride: Equatable, Sendable {
    public enum Value: Equatable, Sendable {
        case real(Double), integer(Int), flag(Bool), reals([Double])
    }

    public var path: [String]
    public var value: Value

    public init(path: [String], value: Value) {
        self.path = path
        self.value = value
    }

    /// Sets the value, replacing whatever is on its way that is not a table by a new table.
    func apply(to root: inout TOMLTable) {
        let tomlValue: TOMLValue
        switch value {
        case .real(let v): tomlValue = .float(v)
        case .integer(let v): tomlValue = .integer(Int64(v))
        case .flag(let v): tomlValue = .boolean(v)
        case .reals(let v): tomlValue = .array(v.map { .float($0) })
        }
        Self.set(tomlValue, at: path[...], in: &root)
    }

    private static func set(_ value: TOMLValue, at path: ArraySlice<String>, in table: inout TOMLTable) {
        guard let first = path.first else { return }
        guard path.count > 1 else {
            table[first] = value
            return
        }
        var child = table[first]?.table ?? TOMLTable()
        set(value, at: path.dropFirst(), in: &child)
        table[first] = .table(child)
    }
}
