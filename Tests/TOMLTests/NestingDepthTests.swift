import Testing
import TOML

/// Deep nesting is refused with a syntax error before the recursion gets deep, never by exhausting the stack.
@Suite struct NestingDepthTests {
    static let limit = TOMLParser.maxNestingDepth

    @Test func arraysUpToTheLimitParse() throws {
        let n = Self.limit
        let t = try TOMLParser.parse("a = " + String(repeating: "[", count: n) + String(repeating: "]", count: n))
        var v = try #require(t["a"])
        var depth = 0
        while let inner = v.array { depth += 1; v = inner.first ?? .integer(0) }
        #expect(depth == n)
    }

    @Test(arguments: [
        "a = " + String(repeating: "[", count: 129) + String(repeating: "]", count: 129),
        "a = " + String(repeating: "[", count: 100_000),
        "a = " + String(repeating: "{b=", count: 100_000),
        "a = " + String(repeating: "[{b=", count: 50_000),
        String(repeating: "a.", count: 100_000) + "b = 1",
        "[" + String(repeating: "a.", count: 100_000) + "b]",
        String(repeating: "[", count: 100_000),
        "x = {" + String(repeating: "a.", count: 100) + "b = {" + String(repeating: "c.", count: 100) + "d = 1}}",
    ])
    func deeperIsASyntaxError(text: String) {
        guard let e = syntaxError(text) else { Issue.record("accepted"); return }
        #expect(e.line == 1 && (e.message.contains("deeper") || e.message.contains("parts")
                                    || e.message.contains("expected")), "\(e)")
    }
}
