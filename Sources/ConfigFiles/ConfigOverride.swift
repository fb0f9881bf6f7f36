import TOMLKit

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

    func apply(to root: TOMLTable) {
        guard let key = path.last else { return }
        var table = root
        for name in path.dropLast() {
            if table[name]?.table == nil { table[name] = TOMLTable() }
            guard let child = table[name]?.table else { return }
            table = child
        }
        switch value {
        case .real(let v): table[key] = v
        case .integer(let v): table[key] = v
        case .flag(let v): table[key] = v
        case .reals(let v): table[key] = v
        }
    }
}
