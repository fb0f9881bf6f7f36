import Testing
@testable import MAVLink

@Suite struct ParameterFileTests {
    @Test func readsNameValueLinesWithComments() throws {
        let text = "# Kestrel parameters\nFW_AIRSPD_TRIM 16.5\n\nLINK_LOSS_S\t10 # seconds\r\nRTL_ALT_M,120\n"
        let entries = try ParameterFile.parse(text, path: "params.txt")
        #expect(entries.map(\.id.description) == ["FW_AIRSPD_TRIM", "LINK_LOSS_S", "RTL_ALT_M"])
        #expect(entries.map(\.value) == [16.5, 10, 120])
        #expect(entries.map(\.line) == [2, 4, 5])
    }

    @Test func writesWhatItReads() throws {
        let entries = [
            ParameterFile.Entry(id: ParameterID("A")!, value: 0.1),
            ParameterFile.Entry(id: ParameterID("B_INT")!, value: -42),
            ParameterFile.Entry(id: ParameterID("C")!, value: 1e-9),
        ]
        let text = ParameterFile.format(entries, header: "written by a test")
        #expect(text == "# written by a test\nA 0.1\nB_INT -42\nC 1e-09\n")
        let back = try ParameterFile.parse(text, path: "x")
        #expect(back.map(\.id) == entries.map(\.id) && back.map(\.value) == entries.map(\.value))
    }

    @Test func errorsNameFileLineAndText() {
        #expect(throws: ParameterFileError.malformedLine(path: "p", line: 2, text: "A 1 2")) {
            try ParameterFile.parse("B 1\nA 1 2", path: "p")
        }
        #expect(throws: ParameterFileError.badName(path: "p", line: 1, name: "SEVENTEEN_LETTERS")) {
            try ParameterFile.parse("SEVENTEEN_LETTERS 1", path: "p")
        }
        #expect(throws: ParameterFileError.badValue(path: "p", line: 1, name: "A", value: "nan")) {
            try ParameterFile.parse("A nan", path: "p")
        }
        #expect(throws: ParameterFileError.duplicate(path: "p", line: 3, name: "A", firstLine: 1)) {
            try ParameterFile.parse("A 1\nB 2\nA 3", path: "p")
        }
        #expect(ParameterFileError.badValue(path: "p", line: 1, name: "A", value: "x").description
            == "p:1: A: 'x' is not a finite number")
    }
}
