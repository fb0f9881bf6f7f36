import Testing
@testable import MAVLink

/// Inputs libFuzzer found (Tools/fuzz), each kept as the smallest case that failed before its fix.
@Suite struct FuzzRegressionTests {
    /// fuzz-params: `B -0.00000` was written back as `B 0`, so the file read back held +0 where it had held -0
    /// (the value's sign bit lost on a save and load).
    @Test func parameterFileKeepsTheSignOfNegativeZero() throws {
        let entries = try ParameterFile.parse("A 1e300\r\nB -0.00000\n", path: "p")
        let text = ParameterFile.format(entries)
        let back = try ParameterFile.parse(text, path: "p")
        #expect(back.map(\.value.bitPattern) == entries.map(\.value.bitPattern))
        #expect(text == "A 1e+300\nB -0\n")
    }
}
