import Testing
@testable import ConfigFiles

/// Inputs libFuzzer found (Tools/fuzz), each kept as the smallest case that failed before its fix.
@Suite struct ConfigFilesFuzzRegressionTests {
    struct Empty: Decodable {}

    /// fuzz-board (and every other TOML target): a table header whose key starts with a character that cannot
    /// start a key made TOMLKit's toml++ fail an assertion and abort the process, instead of a syntax error.
    @Test(arguments: ["[=]\n", "a = 1\n[\n", "[[ !x]]\n", "b = 2 # c\n  [\t*]"])
    func tableHeaderWithoutAKeyIsASyntaxError(text: String) {
        #expect {
            _ = try ConfigFile.decode(Empty.self, fromTOML: text, source: "f.toml")
        } throws: { error in
            guard let error = error as? ConfigFileError, case .syntax = error.problem else { return false }
            return error.file == "f.toml"
        }
    }

    /// fuzz-mission: a date followed by `T` and no time (`1979-05-27T` then a non-digit) in a value made toml++
    /// assert in its time parser and abort.
    /// fuzz-mission: a value starting like a date, a space and a digit that is no time (`l=1979-05-27 7`) aborted
    /// toml++ in its value scanner.
    /// fuzz-board: an array closed by `}` (`g=[}`, `g=[1,}`) aborted toml++ in its value parser.
    /// fuzz-mission (this CI's run): any 10-character value with `-` at offsets 4 and 7, a space and a digit
    /// (`lat_deg = 42-9-05-2= 1`) takes the same date-time path without starting with a year.
    @Test(arguments: ["a = [1979-05-27t:]\n", "a = 1979-05-27T\u{FFFD}7:32:00Z\n", "a = { b = 2000-01-01T:0 }\n",
                      "g=[}\n", "g=[1,\n}\n", "g={a=[2]]\n", "l=1979-05-2G 7#\n", "l=1979-05-27 7\n",
                      "lat_deg = 42-9-05-2= 1\n", "x = 99-9-99-9= 1\n", "x = 42-9-05-2x 1 \n"])
    func valueThatAbortedTOMLppIsASyntaxError(text: String) {
        #expect {
            _ = try ConfigFile.decode(Empty.self, fromTOML: text, source: "f.toml")
        } throws: { error in
            guard let error = error as? ConfigFileError, case .syntax = error.problem else { return false }
            return error.file == "f.toml"
        }
    }

    /// The check that refuses those headers must not refuse legal TOML where a line starts with `[` inside a
    /// multi-line array, or `[` appears in strings and comments.
    @Test func legalBracketsStillParse() throws {
        struct Values: Decodable {
            var x: [[Double]]
            var s: String
            var m: String
            var d: String
            var t: Table
            struct Table: Decodable { var k: Int }
        }
        let text = "x = [\n[+1.0],\n  [-2.0]]\ns = \"[=]\" # [!\nm = '''\n[=]\n'''\n"
            + "d = \"1979-05-27T\" # a date in a string\n[ t ] # header\nk = 1\n"
        let v = try ConfigFile.decode(Values.self, fromTOML: text, source: "f.toml")
        for legal in ["e = 1979-05-27 07:32:00\n", "e = [1979-05-27 , 2]\n", "e = 1979-05-27T07:32:00Z\n"] {
            #expect(throws: Never.self) { try TOMLAbortGuard.check(legal) }
        }
        #expect(v.x == [[1.0], [-2.0]] && v.s == "[=]" && v.m == "[=]\n" && v.t.k == 1 && v.d == "1979-05-27T")
    }
}
