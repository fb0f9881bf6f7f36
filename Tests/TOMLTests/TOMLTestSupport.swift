import Testing
import TOML

/// The value at a dotted path of bare keys (`"a.b.c"`) of a parsed document, or nil.
func lookup(_ table: TOMLTable, _ path: String) -> TOMLValue? {
    var value: TOMLValue = .table(table)
    for part in path.split(separator: ".") {
        guard let next = value.table?[String(part)] else { return nil }
        value = next
    }
    return value
}

/// The single value `v` of the document `v = TEXT`.
func value(_ text: String) throws -> TOMLValue? {
    try TOMLParser.parse("v = " + text + "\n")["v"]
}

/// The syntax error of `text`, or nil when it parses.
func syntaxError(_ text: String) -> TOMLSyntaxError? {
    do throws(TOMLSyntaxError) {
        _ = try TOMLParser.parse(text)
        return nil
    } catch {
        return error
    }
}
