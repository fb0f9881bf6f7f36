import Testing
import TOML

@Suite struct ScalarValueTests {
    @Test func integers() throws {
        #expect(try value("0") == .integer(0))
        #expect(try value("+17") == .integer(17))
        #expect(try value("-17") == .integer(-17))
        #expect(try value("1_000_000") == .integer(1_000_000))
        #expect(try value("5_3_4") == .integer(534))
        #expect(try value("0xDEAD_beef") == .integer(0xDEAD_BEEF))
        #expect(try value("0x00ff") == .integer(255))
        #expect(try value("0o755") == .integer(0o755))
        #expect(try value("0b1101_0110") == .integer(0b1101_0110))
        #expect(try value("9223372036854775807") == .integer(.max))
        #expect(try value("-9223372036854775808") == .integer(.min))
        #expect(try value("0x7FFFFFFFFFFFFFFF") == .integer(.max))
        #expect(try value("-0") == .integer(0))
    }

    @Test func floats() throws {
        #expect(try value("+1.0") == .float(1))
        #expect(try value("3.1415") == .float(3.1415))
        #expect(try value("-0.01") == .float(-0.01))
        #expect(try value("5e+22") == .float(5e22))
        #expect(try value("1e06") == .float(1e6))
        #expect(try value("-2E-2") == .float(-0.02))
        #expect(try value("6.626e-34") == .float(6.626e-34))
        #expect(try value("224_617.445_991_228") == .float(224_617.445_991_228))
        #expect(try value("0.0") == .float(0))
        #expect(try value("-0.0")?.float?.sign == .minus)
        #expect(try value("inf") == .float(.infinity))
        #expect(try value("+inf") == .float(.infinity))
        #expect(try value("-inf") == .float(-.infinity))
        #expect(try value("nan")?.float?.isNaN == true)
        #expect(try value("+nan")?.float?.isNaN == true)
        #expect(try value("-nan")?.float?.isNaN == true)
        #expect(try value("1e400") == .float(.infinity))
        // An integer and a float of the same magnitude stay distinct.
        #expect(try value("2") != value("2.0"))
    }

    @Test func booleans() throws {
        #expect(try value("true") == .boolean(true))
        #expect(try value("false") == .boolean(false))
    }

    @Test func basicStrings() throws {
        #expect(try value(#""a \"b\" \\ \b\t\n\f\r é""#) == .string("a \"b\" \\ \u{8}\t\n\u{C}\r é"))
        #expect(try value(#""\u00E9\U0001F600""#) == .string("é😀"))
        #expect(try value("\"tab\there\"") == .string("tab\there"))
        #expect(try value(#""""#) == .string(""))
    }

    @Test func literalStrings() throws {
        #expect(try value(#"'C:\Users\nodejs\templates'"#) == .string(#"C:\Users\nodejs\templates"#))
        #expect(try value(#"'<\i\c*\s*>'"#) == .string(#"<\i\c*\s*>"#))
        #expect(try value("''") == .string(""))
    }

    @Test func multiLineBasicStrings() throws {
        #expect(try value("\"\"\"\nRoses\nViolets\"\"\"") == .string("Roses\nViolets"))
        #expect(try value("\"\"\"\r\nRoses\r\nViolets\"\"\"") == .string("Roses\nViolets"))
        #expect(try value("\"\"\"\nThe quick \\\n\n   brown \\   \n  fox.\"\"\"") == .string("The quick brown fox."))
        #expect(try value("\"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"")
                    == .string("Here are two quotation marks: \"\". Simple enough."))
        #expect(try value("\"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"")
                    == .string("\"This,\" she said, \"is just a pointless statement.\""))
        #expect(try value("\"\"\"a\"\"\"\"\"") == .string("a\"\""))
        #expect(try value("\"\"\"\\u00e9\\t\"\"\"") == .string("é\t"))
        #expect(try value("\"\"\"\"\"\"") == .string(""))
    }

    @Test func multiLineLiteralStrings() throws {
        #expect(try value("'''\nThe first newline is\ntrimmed in raw strings.\n'''")
                    == .string("The first newline is\ntrimmed in raw strings.\n"))
        #expect(try value("'''I [dw]on't need \\d{2} apples'''") == .string("I [dw]on't need \\d{2} apples"))
        #expect(try value("''''That,' she said, 'is still pointless.''''")
                    == .string("'That,' she said, 'is still pointless.'"))
        #expect(try value("'''a \\\n b'''") == .string("a \\\n b"))
    }

    @Test func dateTimes() throws {
        let date = TOMLDate(year: 1979, month: 5, day: 27)
        #expect(try value("1979-05-27T07:32:00Z") == .offsetDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0),
                                                                     offsetMinutes: 0))
        #expect(try value("1979-05-27T00:32:00.999999-07:00")
                    == .offsetDateTime(date, TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 999_999_000),
                                       offsetMinutes: -420))
        #expect(try value("1979-05-27 07:32:00+05:30") == .offsetDateTime(
            date, TOMLTime(hour: 7, minute: 32, second: 0), offsetMinutes: 330))
        #expect(try value("1979-05-27t07:32:00z") == .offsetDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0),
                                                                     offsetMinutes: 0))
        #expect(try value("1979-05-27T07:32:00") == .localDateTime(date, TOMLTime(hour: 7, minute: 32, second: 0)))
        #expect(try value("1979-05-27") == .localDate(date))
        #expect(try value("07:32:00") == .localTime(TOMLTime(hour: 7, minute: 32, second: 0)))
        #expect(try value("00:32:00.123456789123") == .localTime(
            TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 123_456_789)))
        #expect(try value("2000-02-29") == .localDate(TOMLDate(year: 2000, month: 2, day: 29)))
        #expect(try value("2024-02-29")?.kindName == "date-local")
        #expect(TOMLTime(hour: 1, minute: 2, second: 3, nanosecond: 500_000_000).description == "01:02:03.5")
        #expect(TOMLDate(year: 979, month: 5, day: 7).description == "0979-05-07")
    }
}
