/// The table tree while a document is read, with how each table came to be: the spec's redefinition rules
/// depend on it. Finished values (strings, numbers, static arrays, inline tables) are immutable `TOMLValue`s, so
/// nothing can extend them.
final class TableNode {
    enum Origin {
        /// Created as the parent of a header (`[a]` when `[a.b]` is read): a later `[a]` may still define it.
        case implicit
        /// Defined by a `[header]` or `[[header]]`, or the root: defined once, never reopened by dotted keys.
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`): may take more dotted keys and sub-table headers, never
        /// its own header.
        case dotted
    }

    enum Entry {
        case value(TOMLValue)
        case table(TableNode)
        case arrayOfTables([TableNode])
    }

    var origin: Origin
    /// Tables and arrays above this table; the parser refuses more than `TOMLParser.maxNestingDepth`.
    let depth: Int
    private(set) var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin, depth: Int) {
        self.origin = origin
        self.depth = depth
    }

    subscript(key: String) -> Entry? {
        get { entries[key] }
        set {
            guard let newValue else { return }
            if entries.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    /// The finished value. Recursion is bounded by the parser's depth cap.
    var value: TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch entries[key] {
            case .value(let v): table[key] = v
            case .table(let t): table[key] = .table(t.value)
            case .arrayOfTables(let ts): table[key] = .array(ts.map { .table($0.value) })
            case nil: break
            }
        }
        return table
    }
}
