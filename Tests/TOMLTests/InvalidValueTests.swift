import Testing
import TOML

/// Values TOML 1.0 refuses, each with the position the error names (`v = ` takes columns 1–4 of line 1).
@Suite struct InvalidValueTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let line: Int
        let column: Int
        init(_ text: String, _ line: Int = 1, _ column: Int = 5) {
            self.text = text
            self.line = line
            self.column = column
        }
        var testDescription: String { text.debugDescription }
    }

    static func check(_ c: Case) {
        guard let e = syntaxError("v = " + c.text + "\n") else {
            Issue.record("accepted \(c.text.debugDescription)")
            return
        }
        #expect((e.line, e.column) == (c.line, c.column), "\(e)")
        #expect(!e.message.isEmpty)
    }

    @Test(arguments: [
        Case("+0x10"), Case("0x"), Case("0xG"), Case("0b2"), Case("0o8"), Case("01"), Case("+01"), Case("00"),
        Case("1__0"), Case("_1"), Case("1_"), Case("0x_1"), Case("0x1_"), Case("9223372036854775808"),
        Case("-9223372036854775809"), Case("0x8000000000000000"), Case("1 2", 1, 7), Case("0X10"), Case("1a"),
        Case("+"), Case("-_1"), Case("0b"),
    ])
    func integers(_ c: Case) { Self.check(c) }

    @Test(arguments: [
        Case("1."), Case(".1"), Case("1.e5"), Case("1e"), Case("1e+"), Case("1e_5"), Case("1_.0"), Case("1._0"),
        Case("03.14"), Case("1.0e5.0"), Case("infinity"), Case("Inf"), Case("NaN"), Case("+-1"), Case("1.2_"),
        Case("nan2"), Case("-inf_"), Case("1e5_"),
    ])
    func floats(_ c: Case) { Self.check(c) }

    @Test(arguments: [
        Case("True"), Case("tru"), Case("truex"), Case("falsey"), Case("yes"), Case("bare"),
    ])
    func booleansAndBareWords(_ c: Case) { Self.check(c) }

    @Test(arguments: [
        Case(#""\e""#, 1, 6), Case(#""\x41""#, 1, 6), Case(#""\ ""#, 1, 6), Case(#""\uD800""#, 1, 6),
        Case(#""\U00110000""#, 1, 6), Case(#""\u12""#, 1, 6), Case(#""\U0000004""#, 1, 6), Case("\"abc", 1, 9),
        Case("\"a\nb\"", 1, 7), Case("\"a\u{0}b\"", 1, 7), Case("\"a\u{7F}b\"", 1, 7), Case("\"a\u{1F}\"", 1, 7),
        Case("'a\nb'", 1, 7), Case("'a\u{7}'", 1, 7), Case("'abc", 1, 9), Case("\"\"\"abc"), Case("'''abc"),
        Case("\"\"\"a\rb\"\"\"", 1, 9), Case("\"\"\"a\u{0}b\"\"\"", 1, 9), Case("'''a\u{8}'''", 1, 9),
        Case("\"\"\"a\"\"\"\"\"\"", 1, 14), Case("'''a''''''", 1, 14), Case("\"\"\"\\e\"\"\"", 1, 8),
        Case("\"\"\"a\\  b\"\"\"", 1, 9), Case("'a'b'", 1, 8),
    ])
    func strings(_ c: Case) { Self.check(c) }

    @Test(arguments: [
        Case("1979-05-27T", 1, 16), Case("1979-05-27T07:32", 1, 21), Case("1979-5-27", 1, 11), Case("1979-05-7", 1, 14),
        Case("79-05-27"),
        Case("1979-13-01"), Case("1979-00-01"), Case("1979-02-30"), Case("2023-02-29"), Case("1900-02-29"),
        Case("1979-04-31"), Case("1979-05-00"), Case("1979-05-27T24:00:00", 1, 16), Case("1979-05-27T23:60:00", 1, 16),
        Case("1979-05-27T23:59:60", 1, 16), Case("07:32", 1, 10), Case("7:32:00", 1, 6), Case("07:32:00.", 1, 14),
        Case("1979-05-27T07:32:00+24:00", 1, 24), Case("1979-05-27T07:32:00+05", 1, 27),
        Case("1979-05-27T07:32:00+05:60", 1, 24), Case("1979-05-27 07:32", 1, 21), Case("1979-05-27T07:32:00Zx", 1, 25),
        Case("1979-05-27 7", 1, 16), Case("1979-05-27T07:32:00 Z", 1, 25), Case("1979-05-27_07:32:00", 1, 15),
    ])
    func dateTimes(_ c: Case) { Self.check(c) }

    @Test(arguments: [
        Case("[1,,2]", 1, 8), Case("[,]", 1, 6), Case("[1 2]", 1, 8), Case("[1", 2, 1), Case("[}", 1, 6),
        Case("[1,}", 1, 8), Case("{a=1,}", 1, 10), Case("{a=1\n}", 1, 9), Case("{\na=1}", 1, 6),
        Case("{a=1 b=2}", 1, 10),
        Case("{a=1, a=2}", 1, 11), Case("{a.b=1, a=2}", 1, 13), Case("{a=[1]]", 1, 11), Case("{a=1", 1, 9),
        Case("{a.b=1, a.b.c=2}", 1, 15), Case("{,}", 1, 6), Case("[1 # c\n,\n2 3]", 3, 3), Case("{a=1 # c\n}", 1, 10),
    ])
    func arraysAndInlineTables(_ c: Case) { Self.check(c) }

    /// The message says what is wrong in words a person editing the file can act on.
    @Test(arguments: [
        ("l = 1979-05-27 7", "'YYYY-MM-DD HH:MM:SS'"), ("a = 1979-05-27T", "needs a time"),
        ("a = 9223372036854775808", "64-bit"), ("a = 01", "leading zeros"), ("a = 1__2", "between two digits"),
        ("a = \"\\e\"", "invalid escape"), ("a = \"\\uD800\"", "Unicode scalar"), ("a = 1\na = 2", "already defined"),
        ("a = {}\n[a.b]", "inline table"), ("a = 1979-02-30", "does not exist"), ("a = {b=1,}", "comma"),
        ("a = [" + String(repeating: "[", count: 200), "deeper than 128"),
    ])
    func messagesSayWhatIsWrong(text: String, phrase: String) {
        let e = syntaxError(text)
        #expect(e?.message.contains(phrase) == true, "\(String(describing: e))")
    }
}
