/// Finds text TOMLKit's parser (toml++ 3) cannot be given. On a table header whose key starts with anything but a
/// bare-key character or a quote (`[=]`, `[ !x]`, `[[`+newline), on a date followed by `T` and no digit in a
/// value (`[1979-05-27t:]`) or a space and no time (`l=1979-05-27 7`), and on an array closed by `}` (`g=[}`),
/// toml++ asserts instead of reporting an error: the process aborts (with NDEBUG the
/// assertion becomes an assumption, undefined behaviour). Such text is refused here with the syntax error toml++
/// should have given. Both were found by fuzzing (Tools/fuzz); toml++ has more assertions of this kind, which a
/// newer toml++ may fix, so the TOML fuzz targets keep looking.
///
/// The scan follows just enough TOML to know where a line starts at document level: strings (basic, literal and
/// their multi-line forms, with escapes), comments, and the nesting of arrays and inline tables, inside which a
/// line-leading `[` is an array, not a header. It refuses nothing toml++ accepts.
enum TOMLAbortGuard {
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
        /// The open arrays (`[`) and inline tables (`{`) of the value being read, innermost last.
        var open: [UInt8] = []
        var depth: Int { open.count }
        var onlySpaceSinceLineStart = true
        /// After a key's `=` (until the line ends outside any array or inline table).
        var inValue = false

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
                if depth == 0 { inValue = false }
                index += 1
                continue
            case UInt8(ascii: "="):
                inValue = true
                index += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where inValue || depth > 0:
                if let column = dateWithoutTime(bytes, at: index) {
                    throw Problem(line: line, column: column + index - lineStart + 1,
                                  message: "a date-time needs a time (HH:MM:SS) after its 'T'")
                }
                if let column = dateWithSpacedNonTime(bytes, at: index) {
                    throw Problem(line: line, column: column + index - lineStart + 1,
                                  message: "a date and time separated by a space must read 'YYYY-MM-DD HH:MM:SS'")
                }
                index += 1
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
                open.append(c)
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let innermost = open.last {
                    let matches = innermost == UInt8(ascii: "[") ? c == UInt8(ascii: "]") : c == UInt8(ascii: "}")
                    guard matches else {
                        throw Problem(line: line, column: index - lineStart + 1,
                                      message: "'\(Character(Unicode.Scalar(c)))' closes a "
                                          + "'\(Character(Unicode.Scalar(innermost)))'")
                    }
                    open.removeLast()
                }
                index += 1
            default:
                index += 1
            }
            onlySpaceSinceLineStart = false
        }
    }

    /// Offset of the character after `T` when `YYYY-MM-DDT` at `i` is not followed by a digit, else nil.
    static func dateWithoutTime(_ b: [UInt8], at i: Int) -> Int? {
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard i + 11 <= b.count, digits.allSatisfy({ b[i + $0] >= 0x30 && b[i + $0] <= 0x39 }),
              b[i + 4] == UInt8(ascii: "-"), b[i + 7] == UInt8(ascii: "-"),
              b[i + 10] == UInt8(ascii: "T") || b[i + 10] == UInt8(ascii: "t")
        else { return nil }
        if i + 11 < b.count, b[i + 11] >= 0x30, b[i + 11] <= 0x39 { return nil }
        return 11
    }

    /// Offset of the digit after the space when a value starting `YYYY-`, or any 10-character value starting with a
    /// digit and with `-` at offsets 4 and 7 (toml++'s own test: `99-9-99-9= 1`, found by fuzzing), is followed by
    /// one space and a digit that do not begin `YYYY-MM-DD HH:` (toml++ reads it as a date-time and asserts:
    /// `l=1979-05-27 7`), else nil.
    static func dateWithSpacedNonTime(_ b: [UInt8], at i: Int) -> Int? {
        func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
        let minus = UInt8(ascii: "-")
        guard isDigit(i) else { return nil }
        let terminators: [UInt8] = Array(" \t\r\n#,]}".utf8)
        var j = i
        while j < b.count, !terminators.contains(b[j]) { j += 1 }
        let yearFirst = (0..<4).allSatisfy({ isDigit(i + $0) }) && i + 4 < b.count && b[i + 4] == minus
        let dateShaped = j - i == 10 && b[i + 4] == minus && b[i + 7] == minus
        guard yearFirst || dateShaped else { return nil }
        guard j + 1 < b.count, b[j] == UInt8(ascii: " "), isDigit(j + 1) else { return nil }
        if j - i == 10, isDigit(j + 2), j + 3 < b.count, b[j + 3] == UInt8(ascii: ":") { return nil }
        return j + 1 - i
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
