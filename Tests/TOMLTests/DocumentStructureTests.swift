import Testing
import TOML

@Suite struct DocumentStructureTests {
    @Test func commentsBlankLinesAndLineEndings() throws {
        let t = try TOMLParser.parse("# top\r\n\n  a = 1 # after\r\n\t# indented\nb = 2\n#end")
        #expect(t["a"] == .integer(1) && t["b"] == .integer(2) && t.count == 2)
        #expect(try TOMLParser.parse("") == TOMLTable())
        #expect(try TOMLParser.parse("# comment with é and \t tab") == TOMLTable())
    }

    @Test func keysBareQuotedAndDotted() throws {
        let t = try TOMLParser.parse("""
            bare_key-1 = 1
            1234 = 2
            "quoted key é" = 3
            'literal "key"' = 4
            "" = 5
            site . "google.com" . ok = true
            physical.color = "orange"
            physical.shape = "round"
            3.14159 = "pi"
            "\\u0041" = 6
            """)
        #expect(t["bare_key-1"] == .integer(1) && t["1234"] == .integer(2) && t["quoted key é"] == .integer(3))
        #expect(t["literal \"key\""] == .integer(4) && t[""] == .integer(5) && t["A"] == .integer(6))
        #expect(t["site"]?.table?["google.com"]?.table?["ok"] == .boolean(true))
        #expect(lookup(t, "physical.shape") == .string("round"))
        #expect(lookup(t, "3.14159") == .string("pi"))
    }

    @Test func keyOrderIsKept() throws {
        let t = try TOMLParser.parse("z = 1\na = 2\nm.x = 3\nb = 4\n[k]\n[c]\n")
        #expect(t.keys == ["z", "a", "m", "b", "k", "c"])
        #expect(t.entries.map(\.key) == t.keys)
    }

    @Test func tablesAndSubTables() throws {
        let t = try TOMLParser.parse("""
            [table-1]
            key1 = "some string"
            [ dog . "tater.man" ]
            type.name = "pug"
            [x.y.z.w]
            [x]
            a = 1
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """)
        #expect(lookup(t, "table-1.key1") == .string("some string"))
        #expect(t["dog"]?.table?["tater.man"]?.table?["type"]?.table?["name"] == .string("pug"))
        #expect(lookup(t, "x.y.z.w") == .table(TOMLTable()) && lookup(t, "x.a") == .integer(1))
        #expect(lookup(t, "fruit.apple.taste.sweet") == .boolean(true))
        #expect(lookup(t, "fruit.apple.texture.smooth") == .boolean(true))
    }

    @Test func arraysOfTables() throws {
        let t = try TOMLParser.parse("""
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """)
        let fruits = try #require(t["fruits"]?.array)
        #expect(fruits.count == 2)
        #expect(fruits[0].table?["physical"]?.table?["color"] == .string("red"))
        #expect(fruits[0].table?["varieties"]?.array?.count == 2)
        #expect(fruits[1].table?["varieties"]?.array?.first?.table?["name"] == .string("plantain"))
    }

    @Test func arraysHoldAnyTypesAndSpanLines() throws {
        let v = try value("""
            [
              1, 2.0, "three", [4], { five = 5 }, 1979-05-27, # a comment
              true,
            ]
            """)
        let a = try #require(v?.array)
        #expect(a.map(\.kindName) == ["integer", "float", "string", "array", "table", "date-local", "bool"])
        #expect(try value("[]") == .array([]) && value("[ ]") == .array([]) && value("[\n]") == .array([]))
        #expect(try value("{ a.b = 1, c = { d = [\n1,\n2] } }")?.table?["c"]?.table?["d"]
                    == .array([.integer(1), .integer(2)]))
        #expect(try value("{}") == .table(TOMLTable()))
    }

    /// Each of TOML 1.0's redefinition rules, with the line and column of the offending key.
    @Test(arguments: [
        ("a = 1\na = 2", 2, 1),                          // a key twice
        ("a = 1\n\"a\" = 2", 2, 1),                      // the same key, quoted
        ("[a]\n[a]", 2, 2),                              // a table twice
        ("[a]\nb = 1\n[a.b]", 3, 4),                     // a table over a value
        ("[a.b]\n[a]\nb = 1", 3, 1),                     // a value over a table
        ("a = {}\n[a]", 2, 2),                           // a header over an inline table
        ("a = {}\n[a.b]", 2, 2),                         // a header extending an inline table
        ("a = { b = 1 }\na.c = 2", 2, 1),                // a dotted key extending an inline table
        ("a = []\n[[a]]", 2, 3),                         // [[…]] extending a static array
        ("a = [{}]\n[a.b]", 2, 2),                       // a header through a static array
        ("[[a]]\n[a]", 2, 2),                            // a table over an array of tables
        ("[a]\n[[a]]", 2, 3),                            // an array of tables over a table
        ("[fruit]\napple.color = 1\n[fruit.apple]", 3, 8),   // a header over a dotted-key table
        ("[a.b.c]\nz = 9\n[a]\nb.c.t = 9", 4, 3),        // dotted keys into a header-defined table
        ("[a.b.c.d]\n[a]\nb.c.d.k = 1", 3, 5),           // the same, deeper
        ("[a.b.c]\n[a]\nb.d = 1\n[a.b]", 4, 4),          // a header over a table dotted keys opened
        ("a.b = 1\na.b.c = 2", 2, 3),                    // a dotted key through a value
        ("a.b = 1\na = 2", 2, 1),                        // a value over a dotted-key table
        ("[[a.b]]\n[a]\nb.x = 1", 3, 1),                 // dotted keys into an array of tables
        ("x = 1\n[x.y]", 2, 2),                          // a header through a value
    ])
    func redefinitionIsRefused(text: String, line: Int, column: Int) {
        guard let e = syntaxError(text) else { Issue.record("accepted \(text.debugDescription)"); return }
        #expect((e.line, e.column) == (line, column), "\(e)")
    }

    @Test func legalReopenings() throws {
        // An implicit table defined later by its own header; sub-tables of dotted-key tables; dotted keys into an
        // implicit table from the section of its parent.
        #expect(throws: Never.self) { try TOMLParser.parse("[a.b]\nc = 1\n[a]\nd = 2") }
        #expect(throws: Never.self) { try TOMLParser.parse("a.b.c = 1\n[a.b.d]\ne = 2") }
        #expect(throws: Never.self) { try TOMLParser.parse("[a.b.c]\n[a]\nb.d = 1") }
        #expect(throws: Never.self) { try TOMLParser.parse("[[a]]\n[a.b]\n[[a]]\n[a.b]") }
        // Keys after `[[a]]` belong to the element: this `a` is `a[0].a`.
        #expect(try lookup(TOMLParser.parse("[[a]]\na = 1"), "a")?.array?.first?.table?["a"] == .integer(1))
    }

    @Test(arguments: [
        ("[a", 1, 3), ("[a]]", 1, 4), ("[[a]", 1, 4), ("[a] b = 1", 1, 5), ("[]", 1, 2), ("[a.]", 1, 4),
        ("[.a]", 1, 2), ("[a..b]", 1, 4), ("[\"a\nb\"]", 1, 4), ("[[ a ]\n]", 1, 6), ("[a] # c \u{0}", 1, 9),
        ("a", 1, 2), ("a =", 1, 4), ("= 1", 1, 1), ("a = 1 b = 2", 1, 7), ("a b = 1", 1, 3), ("a.=1", 1, 3),
        ("\"\"\"a\"\"\" = 1", 1, 1), ("'''a''' = 1", 1, 1), ("a = 1\r", 1, 6), ("a = 1\rb = 2", 1, 6),
        ("# comment \u{7F}", 1, 11), ("a = 1 # \u{1}", 1, 9), ("a\u{0} = 1", 1, 2), ("é = 1", 1, 1),
        ("a = 1\n  b = \n", 2, 7), ("a = # no value", 1, 5),
    ])
    func malformedLines(text: String, line: Int, column: Int) {
        guard let e = syntaxError(text) else { Issue.record("accepted \(text.debugDescription)"); return }
        #expect((e.line, e.column) == (line, column), "\(e)")
    }

    /// The column counts characters, not bytes.
    @Test func columnsCountCharacters() {
        let e = syntaxError("a = \"é😀\" x")
        #expect(e?.line == 1 && e?.column == 10)
    }
}
