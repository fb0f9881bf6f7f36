extension TOMLParser {
    /// One value at `index`. `depth` counts the tables and arrays it sits in.
    mutating func value(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        switch peek() {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                return .string(try multiLineBasicString())
            }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                return .string(try multiLineLiteralString())
            }
            return .string(try literalString())
        case UInt8(ascii: "t"):
            try word("true")
            return .boolean(true)
        case UInt8(ascii: "f"):
            try word("false")
            return .boolean(false)
        case UInt8(ascii: "["):
            return try array(depth: depth)
        case UInt8(ascii: "{"):
            return try inlineTable(depth: depth)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isDigit(peek(1)), isDigit(peek(2)), isDigit(peek(3)), peek(4) == UInt8(ascii: "-") {
                return try dateOrDateTime()
            }
            if isDigit(peek(1)), peek(2) == UInt8(ascii: ":") { return .localTime(try time()) }
            return try number()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"):
            return try number()
        default:
            throw error("expected a value, found \(describeHere())")
        }
    }

    /// `true` or `false`, which must not run on into more letters.
    mutating func word(_ w: StaticString) throws(TOMLSyntaxError) {
        let start = index
        let matches = w.withUTF8Buffer { p in
            (0..<p.count).allSatisfy { peek($0) == p[$0] }
        }
        index += matches ? w.utf8CodeUnitCount : 0
        if !matches || isBareKeyByte(peek()) {
            throw error("expected a value (a string needs quotes; booleans are 'true' and 'false')", at: start)
        }
    }

    /// `[v, v, …]`: values of any types, line breaks and comments between them, a trailing comma allowed.
    mutating func array(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        try checkDepth(depth, at: index)
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipSpacesLineBreaksAndComments()
            if peek() == UInt8(ascii: "]") { index += 1; return .array(elements) }
            elements.append(try value(depth: depth + 1))
            try skipSpacesLineBreaksAndComments()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' in an array, found \(describeHere())")
            }
        }
    }

    mutating func skipSpacesLineBreaksAndComments() throws(TOMLSyntaxError) {
        while true {
            skipSpaces()
            try comment()
            if !(try newline()) { return }
        }
    }

    /// `{ k = v, … }` on one line, no trailing comma; frozen once closed.
    mutating func inlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        try checkDepth(depth, at: index)
        index += 1
        let table = TableNode(origin: .header, depth: depth)
        skipSpaces()
        if peek() == UInt8(ascii: "}") { index += 1; return .table(table.value) }
        while true {
            skipSpaces()
            if peek() == UInt8(ascii: "}") { throw error("an inline table cannot end with a comma") }
            try keyValue(into: table)
            skipSpaces()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .table(table.value)
            case 0x0A, 0x0D: throw error("an inline table must be on one line (expected ',' or '}')")
            default: throw error("expected ',' or '}' in an inline table, found \(describeHere())")
            }
        }
    }
}

func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }
