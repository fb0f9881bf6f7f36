/// Finds table headers TOMLKit's parser (toml++ 3) cannot be given. For a header whose key starts with anything but
/// a bare-key character or a quote (`[=]`, `[ !x]`, `[[`+newline), toml++ asserts instead of reporting an error: the
/// process aborts (with NDEBUG the assertion becomes an assumption, undefined behaviour). Such text is refused here
/// with the syntax error toml++ should have given.
///
/// The scan follows just enough TOML to know where a line starts at document level: strings (basic, literal and
/// their multi-line forms, with escapes), comments, and the nesting of arrays and inline tables, inside which a
/// line-leading `[` is an array, not a header. It refuses nothing toml++ accepts.
enum TOMLHeaderCheck {
    struct Problem: Error, Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    static func check(_ text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        var index = 0
        var line = 1
        var lineStart = 0
        var depth = 0
        var onlySpaceSinceLineStart = true

        func startsWith(_ pattern: StaticString, at i: Int) -> Bool {
            pattern.withUTF8Buffer { p in
                i + p.count <= bytes.count && (0..<p.count).allSatisfy { bytes[i + $0] == p[$0] }
            }
        }
        /// Index just past the string opened at `i` (quote already identified), or the end of the text.
        func skipString(from i: Int, closing: StaticString, escapes: Bool, multiLine: Bool) -> Int {
            var j = i
            while j < bytes.count {
                if escapes && bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
                if startsWith(closing, at: j) { return j + closing.utf8CodeUnitCount }
                if bytes[j] == UInt8(ascii: "\n") {
                    if !multiLine { return j }
                    line += 1
                    lineStart = j + 1
                }
                j += 1
            }
            return bytes.count
        }

        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\n"):
                line += 1
                lineStart = index + 1
                onlySpaceSinceLineStart = true
                index += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\""):
                index = startsWith("\"\"\"", at: index)
                    ? skipString(from: index + 3, closing: "\"\"\"", escapes: true, multiLine: true)
                    : skipString(from: index + 1, closing: "\"", escapes: true, multiLine: false)
            case UInt8(ascii: "'"):
                index = startsWith("'''", at: index)
                    ? skipString(from: index + 3, closing: "'''", escapes: false, multiLine: true)
                    : skipString(from: index + 1, closing: "'", escapes: false, multiLine: false)
            case UInt8(ascii: "[") where depth == 0 && onlySpaceSinceLineStart:
                var j = index + 1
                if j < bytes.count, bytes[j] == UInt8(ascii: "[") { j += 1 }
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
                let keyStart: UInt8 = j < bytes.count ? bytes[j] : 0
                guard isHeaderKeyStart(keyStart) else {
                    throw Problem(line: line, column: j - lineStart + 1,
                                  message: "a table header must start with a key (letters, digits, '_', '-' or a "
                                      + "quoted key)")
                }
                // The rest of the header line holds only its key (quoted keys cannot span lines) and a comment.
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                index += 1
            default:
                index += 1
            }
            onlySpaceSinceLineStart = false
        }
    }

    /// What toml++ can take after a header's `[` or `[[` (and spaces): a key, or the `]` it reports as empty.
    static func isHeaderKeyStart(_ c: UInt8) -> Bool {
        isBareKeyCharacter(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "]")
    }

    static func isBareKeyCharacter(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
            || c == UInt8(ascii: "-")
    }
}
