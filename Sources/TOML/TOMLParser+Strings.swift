extension TOMLParser {
    /// `"…"` with escapes, on one line.
    mutating func basicString() throws(TOMLSyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw error("a string is not closed by '\"'") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw error("a string is not closed by '\"' before the line ends (use \"\"\" for several lines)")
            case _ where isControl(b):
                throw error("\(describeHere()) is not allowed in a string; write it as an escape such as \\u0001")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    /// `'…'`: no escapes, on one line.
    mutating func literalString() throws(TOMLSyntaxError) -> String {
        index += 1
        let start = index
        while true {
            guard !atEnd else { throw error("a string is not closed by \"'\"") }
            let b = bytes[index]
            if b == UInt8(ascii: "'") {
                index += 1
                return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
            }
            if b == 0x0A || b == 0x0D { throw error("a literal string is not closed by \"'\" before the line ends") }
            if isControl(b) { throw error("\(describeHere()) is not allowed in a literal string") }
            index += 1
        }
    }

    /// `"""…"""`: escapes, line breaks kept (as LF), a line break right after the opening dropped, a backslash
    /// at a line's end joining it to the next non-blank text.
    mutating func multiLineBasicString() throws(TOMLSyntaxError) -> String {
        let open = index
        index += 3
        _ = try newline()
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw error("a multi-line string is not closed by '\"\"\"'", at: open) }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                if try closingQuotes(UInt8(ascii: "\""), into: &out) { return String(decoding: out, as: UTF8.self) }
            case UInt8(ascii: "\\"):
                if try lineEndingBackslash() { continue }
                try escape(into: &out)
            case 0x0A, 0x0D:
                _ = try newline()
                out.append(0x0A)
            case _ where isControl(b):
                throw error("\(describeHere()) is not allowed in a string; write it as an escape such as \\u0001")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    /// `'''…'''`: no escapes, line breaks kept (as LF), a line break right after the opening dropped.
    mutating func multiLineLiteralString() throws(TOMLSyntaxError) -> String {
        let open = index
        index += 3
        _ = try newline()
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw error("a multi-line literal string is not closed by \"'''\"", at: open) }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "'"):
                if try closingQuotes(UInt8(ascii: "'"), into: &out) { return String(decoding: out, as: UTF8.self) }
            case 0x0A, 0x0D:
                _ = try newline()
                out.append(0x0A)
            case _ where isControl(b):
                throw error("\(describeHere()) is not allowed in a literal string")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    /// A run of quotes inside a multi-line string: fewer than three are content; three to five close the string,
    /// the extra one or two being content; six or more cannot be read either way.
    mutating func closingQuotes(_ quote: UInt8, into out: inout [UInt8]) throws(TOMLSyntaxError) -> Bool {
        var run = 0
        while peek(run) == quote { run += 1 }
        if run > 5 { throw error("too many quotes in a row in a multi-line string", at: index + 5) }
        index += run
        let content = run < 3 ? run : run - 3
        out.append(contentsOf: repeatElement(quote, count: content))
        return run >= 3
    }

    /// `\` then spaces up to a line break: skips all blanks and line breaks after it. False (nothing consumed) for
    /// any other backslash.
    mutating func lineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var j = index + 1
        while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
        guard j < bytes.count, bytes[j] == 0x0A || (bytes[j] == 0x0D && j + 1 < bytes.count && bytes[j + 1] == 0x0A)
        else { return false }
        index = j
        while true {
            skipSpaces()
            if !(try newline()) { return true }
        }
    }

    /// One escape sequence at `index` (`\n`, `\u00E9`, …), its character appended as UTF-8.
    mutating func escape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = index
        index += 1
        let simple: UInt8?
        switch peek() {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
        default:
            throw error("invalid escape '\\\(atEnd ? "" : describeHere())' (TOML has \\b \\t \\n \\f \\r \\\" \\\\ "
                            + "\\uXXXX \\UXXXXXXXX)", at: start)
        }
        if let simple {
            out.append(simple)
            index += 1
            return
        }
        let width = peek() == UInt8(ascii: "u") ? 4 : 8
        index += 1
        var code: UInt32 = 0
        for k in 0..<width {
            let h = peek(k)
            guard isHexDigit(h) else {
                throw error("\\\(width == 4 ? "u" : "U") needs \(width) hexadecimal digits", at: start)
            }
            code = code << 4 | UInt32(hexValue(h))
        }
        index += width
        guard let scalar = Unicode.Scalar(code) else {
            throw error("\\\(width == 4 ? "u" : "U") escape is not a Unicode scalar value (a surrogate, or above "
                            + "10FFFF)", at: start)
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
}

func hexValue(_ b: UInt8) -> UInt8 {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: 0
    }
}
