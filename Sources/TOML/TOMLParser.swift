/// A strict TOML 1.0 reader: the document's structure (lines, headers, key/value pairs) and the redefinition
/// rules. Values are read in the other `TOMLParser+*.swift` files. It works on the UTF-8 bytes, never traps on
/// any input and refuses nesting deeper than `maxNestingDepth`, so its recursion stays bounded.
public struct TOMLParser {
    public static let maxNestingDepth = 128

    /// Parses a whole document into its root table.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.document()
    }

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Bytes

    var atEnd: Bool { index >= bytes.count }
    /// The byte at `index + ahead`, or 0 past the end (0 is refused everywhere TOML text could hold it).
    func peek(_ ahead: Int = 0) -> UInt8 {
        let i = index + ahead
        return i < bytes.count ? bytes[i] : 0
    }

    func error(_ message: String, at offset: Int? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(at: offset ?? index, in: bytes, message)
    }

    /// How the byte at `index` reads in a message.
    func describeHere() -> String {
        guard !atEnd else { return "the end of the file" }
        let b = bytes[index]
        switch b {
        case 0x0A: return "a line break"
        case 0x0D: return "a carriage return"
        case 0x09: return "a tab"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(b)))'"
        case 0x80...: return "a non-ASCII character"
        default: return "control character U+00\(b < 16 ? "0" : "")\(String(b, radix: 16, uppercase: true))"
        }
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    /// A line break (LF or CRLF) at `index`, consumed; a lone CR is an error.
    mutating func newline() throws(TOMLSyntaxError) -> Bool {
        if peek() == 0x0A { index += 1; return true }
        if peek() == 0x0D {
            guard peek(1) == 0x0A else { throw error("a carriage return must be followed by a line feed") }
            index += 2
            return true
        }
        return false
    }

    /// A comment from `#` to the line's end (not consumed); control characters other than tab are refused.
    mutating func comment() throws(TOMLSyntaxError) {
        guard peek() == UInt8(ascii: "#") else { return }
        index += 1
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x0A || (b == 0x0D && peek(1) == 0x0A) { return }
            if isControl(b) { throw error("\(describeHere()) is not allowed in a comment") }
            index += 1
        }
    }

    /// After a header or a key/value pair: spaces, an optional comment, then a line break or the end.
    mutating func endOfLine(after what: String) throws(TOMLSyntaxError) {
        skipSpaces()
        try comment()
        if atEnd { return }
        guard try newline() else {
            throw error("expected a line break after \(what), found \(describeHere())")
        }
    }

    // MARK: Document

    mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
        let root = TableNode(origin: .header, depth: 0)
        var section = root
        while true {
            skipSpaces()
            if atEnd { break }
            if try newline() { continue }
            switch peek() {
            case UInt8(ascii: "#"):
                try comment()
                if !atEnd, !(try newline()) { throw error("expected a line break, found \(describeHere())") }
            case UInt8(ascii: "["):
                section = try header(root: root)
                try endOfLine(after: "a table header")
            default:
                try keyValue(into: section)
                try endOfLine(after: "a value")
            }
        }
        return root.value
    }

    /// `[a.b]` or `[[a.b]]`: the table the following key/value pairs go into.
    mutating func header(root: TableNode) throws(TOMLSyntaxError) -> TableNode {
        let start = index
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        skipSpaces()
        let path = try key()
        skipSpaces()
        let closing = isArray ? "]]" : "]"
        guard peek() == UInt8(ascii: "]"), !isArray || peek(1) == UInt8(ascii: "]") else {
            throw error("expected '\(closing)' to close the table header, found \(describeHere())")
        }
        index += isArray ? 2 : 1
        let name = dottedName(path.map(\.name))

        var table = root
        for (n, part) in path.dropLast().enumerated() {
            switch table[part.name] {
            case nil:
                let child = TableNode(origin: .implicit, depth: table.depth + 1)
                try checkDepth(child.depth, at: part.offset)
                table[part.name] = .table(child)
                table = child
            case .table(let child):
                table = child
            case .arrayOfTables(let elements):
                guard let last = elements.last else { throw error("internal: empty array of tables", at: start) }
                table = last
            case .value(let v):
                throw error(cannotExtend(v, dottedName(path.prefix(n + 1).map(\.name))), at: part.offset)
            }
        }
        guard let last = path.last else { throw error("a table header needs a key", at: start) }
        switch (table[last.name], isArray) {
        case (nil, false):
            let child = TableNode(origin: .header, depth: table.depth + 1)
            try checkDepth(child.depth, at: last.offset)
            table[last.name] = .table(child)
            return child
        case (nil, true):
            let element = TableNode(origin: .header, depth: table.depth + 2)
            try checkDepth(element.depth, at: last.offset)
            table[last.name] = .arrayOfTables([element])
            return element
        case (.table(let child), false):
            guard child.origin == .implicit else {
                throw error("table '\(name)' is already defined", at: last.offset)
            }
            child.origin = .header
            return child
        case (.table, true):
            throw error("'\(name)' is already a table, not an array of tables", at: last.offset)
        case (.arrayOfTables(let elements), true):
            let element = TableNode(origin: .header, depth: table.depth + 2)
            table[last.name] = .arrayOfTables(elements + [element])
            return element
        case (.arrayOfTables, false):
            throw error("'\(name)' is already an array of tables; '[[\(name)]]' adds to it", at: last.offset)
        case (.value(let v), _):
            throw error(cannotExtend(v, name), at: last.offset)
        }
    }

    /// `a.b.c = value` into `table` (a section, or an inline table being read).
    mutating func keyValue(into section: TableNode) throws(TOMLSyntaxError) {
        let path = try key()
        skipSpaces()
        guard peek() == UInt8(ascii: "=") else {
            throw error("expected '=' after the key '\(dottedName(path.map(\.name)))', found \(describeHere())")
        }
        index += 1
        skipSpaces()
        var table = section
        for (n, part) in path.dropLast().enumerated() {
            let name = dottedName(path.prefix(n + 1).map(\.name))
            switch table[part.name] {
            case nil:
                let child = TableNode(origin: .dotted, depth: table.depth + 1)
                try checkDepth(child.depth, at: part.offset)
                table[part.name] = .table(child)
                table = child
            case .table(let child):
                guard child.origin != .header else {
                    throw error("table '\(name)' was defined by a header; dotted keys cannot add to it",
                                at: part.offset)
                }
                // Once dotted keys add to it, a header may no longer define it.
                child.origin = .dotted
                table = child
            case .arrayOfTables:
                throw error("'\(name)' is an array of tables; dotted keys cannot add to it", at: part.offset)
            case .value(let v):
                throw error(cannotExtend(v, name), at: part.offset)
            }
        }
        guard let last = path.last else { throw error("a key/value pair needs a key") }
        if table[last.name] != nil {
            throw error("key '\(dottedName(path.map(\.name)))' is already defined", at: last.offset)
        }
        let value = try value(depth: table.depth + 1)
        table[last.name] = .value(value)
    }

    func checkDepth(_ depth: Int, at offset: Int) throws(TOMLSyntaxError) {
        if depth > Self.maxNestingDepth {
            throw error("tables and arrays nest deeper than \(Self.maxNestingDepth) levels", at: offset)
        }
    }

    func cannotExtend(_ value: TOMLValue, _ name: String) -> String {
        switch value {
        case .table: "'\(name)' is an inline table, which cannot be extended"
        case .array: "'\(name)' is an array value, which cannot be extended"
        default: "key '\(name)' is already defined, with a value of type \(value.kindName)"
        }
    }

    // MARK: Keys

    struct KeyPart {
        let name: String
        /// Where the part starts, for errors about it.
        let offset: Int
    }

    /// A bare, quoted or dotted key; spaces around the dots are allowed.
    mutating func key() throws(TOMLSyntaxError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            let start = index
            let name: String
            switch peek() {
            case UInt8(ascii: "\""):
                if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                    throw error("a key cannot be a multi-line string")
                }
                name = try basicString()
            case UInt8(ascii: "'"):
                if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                    throw error("a key cannot be a multi-line string")
                }
                name = try literalString()
            case let b where isBareKeyByte(b):
                while index < bytes.count, isBareKeyByte(bytes[index]) { index += 1 }
                name = String(decoding: bytes[start..<index], as: UTF8.self)
            default:
                throw error("expected a key (letters, digits, '_', '-' or a quoted key), found \(describeHere())")
            }
            parts.append(KeyPart(name: name, offset: start))
            if parts.count > Self.maxNestingDepth {
                throw error("a dotted key of more than \(Self.maxNestingDepth) parts", at: start)
            }
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
            skipSpaces()
        }
    }
}

func isBareKeyByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
}

/// The control characters TOML refuses in comments and strings: U+0000–U+0008, U+000A–U+001F, U+007F.
func isControl(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0x7F }

/// A key path as a message names it: bare parts as they are, others quoted.
func dottedName(_ parts: [String]) -> String {
    parts.map { p in
        !p.isEmpty && p.utf8.allSatisfy(isBareKeyByte) ? p : "\"" + p + "\""
    }.joined(separator: ".")
}
