import ConfigFiles
import Testing

/// Inputs libFuzzer found (Tools/fuzz), each kept as the smallest case that failed before its fix. They made
/// TOMLKit's toml++ fail an assertion and abort the process; Kestrel's own parser (module TOML) must report each as
/// an ordinary syntax error on the right line.
@Suite struct ConfigFilesFuzzRegressionTests {
    struct Empty: Decodable {}

    static func expectSyntaxError(_ text: String, line: Int) {
        #expect {
            _ = try ConfigFile.decode(Empty.self, fromTOML: text, source: "f.toml")
        } throws: { error in
            guard let error = error as? ConfigFileError, case .syntax(let l, _, _) = error.problem else { return false }
            return error.file == "f.toml" && l == line
        }
    }

    /// fuzz-board (and every other TOML target): a table header whose key starts with a character that cannot
    /// start a key.
    @Test(arguments: [("[=]\n", 1), ("a = 1\n[\n", 2), ("[[ !x]]\n", 1), ("b = 2 # c\n  [\t*]", 2)])
    func tableHeaderWithoutAKeyIsASyntaxError(text: String, line: Int) {
        Self.expectSyntaxError(text, line: line)
    }

    /// fuzz-mission: a date followed by `T` and no time (`1979-05-27T` then a non-digit) in a value.
    /// fuzz-mission: a value starting like a date, a space and a digit that is no time (`l=1979-05-27 7`).
    /// fuzz-board: an array closed by `}` (`g=[}`, `g=[1,}`).
    /// fuzz-mission: any 10-character value with `-` at offsets 4 and 7, a space and a digit
    /// (`lat_deg = 42-9-05-2= 1`).
    @Test(arguments: [("a = [1979-05-27t:]\n", 1), ("a = 1979-05-27T\u{FFFD}7:32:00Z\n", 1),
                      ("a = { b = 2000-01-01T:0 }\n", 1), ("g=[}\n", 1), ("g=[1,\n}\n", 2), ("g={a=[2]]\n", 1),
                      ("l=1979-05-2G 7#\n", 1), ("l=1979-05-27 7\n", 1), ("lat_deg = 42-9-05-2= 1\n", 1),
                      ("x = 99-9-99-9= 1\n", 1), ("x = 42-9-05-2x 1 \n", 1)])
    func valueThatAbortedTOMLppIsASyntaxError(text: String, line: Int) {
        Self.expectSyntaxError(text, line: line)
    }

    /// Legal TOML where a line starts with `[` inside a multi-line array, or `[` appears in strings and comments.
    @Test func legalBracketsStillParse() throws {
        struct Values: Decodable {
            var x: [[Double]]
            var s: String
            var m: String
            var d: String
            var t: Table
            struct Table: Decodable { var k: Int }
        }
        struct Date: Decodable { var e: String? }
        let text = "x = [\n[+1.0],\n  [-2.0]]\ns = \"[=]\" # [!\nm = '''\n[=]\n'''\n"
            + "d = \"1979-05-27T\" # a date in a string\n[ t ] # header\nk = 1\n"
        let v = try ConfigFile.decode(Values.self, fromTOML: text, source: "f.toml")
        #expect(v.x == [[1.0], [-2.0]] && v.s == "[=]" && v.m == "[=]\n" && v.t.k == 1 && v.d == "1979-05-27T")
        // Dates are legal TOML; a configuration type that wants a string reports the wrong type, not a syntax error.
        for legal in ["e = 1979-05-27 07:32:00\n", "e = [1979-05-27 , 2]\n", "e = 1979-05-27T07:32:00Z\n"] {
            #expect {
                _ = try ConfigFile.decode(Date.self, fromTOML: legal, source: "f.toml")
            } throws: { error in
                guard let error = error as? ConfigFileError, case .wrongType = error.problem else { return false }
                return true
            }
        }
    }

    /// fuzz-mission, after Kestrel's parser: an empty quoted key (`'' = 480`, legal TOML) was refused as "unknown key
    /// ''" with an empty key path, so the error named no key. It is named as written.
    @Test(arguments: [("'' = 480\n", "''"), ("\"\" = 1\n", "''")])
    func anEmptyKeyIsNamedAsWritten(text: String, path: String) {
        #expect {
            _ = try ConfigFile.decode(Empty.self, fromTOML: text, source: "f.toml")
        } throws: { error in
            guard let error = error as? ConfigFileError, case .unknownKey(let keyPath) = error.problem else { return false }
            return keyPath == path && error.description.contains("unknown key '\(path)'")
        }
    }
}
