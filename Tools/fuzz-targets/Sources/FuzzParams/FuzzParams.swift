// libFuzzer entry point: the input is the text of a parameter file (`NAME value` lines, what `kestrel sim --params`
// and `kestrel fly` keep their parameters in), parsed by `ParameterFile.parse`.
//
// Invariants: a refusal names the file and a line that exists; an accepted file holds finite values under distinct
// valid names, and writing it back (`ParameterFile.format`) gives a file that parses to the same names and
// bit-identical values, and formats to the same text again.
import FuzzSupport
import MAVLink

@_cdecl("fuzz_params_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzParams)
}

let path = "fuzz.params"

let fuzzParams: FuzzCallback = { data, size in
    let text = String(decoding: FuzzInput(data, size).bytes, as: UTF8.self)
    let entries: [ParameterFile.Entry]
    do throws(ParameterFileError) { entries = try ParameterFile.parse(text, path: path) } catch {
        let line: Int
        switch error {
        case .malformedLine(let p, let l, _), .badName(let p, let l, _), .badValue(let p, let l, _, _):
            guard p == path else { violated("error without the file: \(error)") }
            line = l
        case .duplicate(let p, let l, _, let first):
            guard p == path, first < l else { violated("duplicate without its first line: \(error)") }
            line = l
        }
        let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).count
        guard line >= 1, line <= lineCount else { violated("error names line \(line) of \(lineCount): \(error)") }
        return 0
    }
    var names = Set<ParameterID>()
    for entry in entries {
        guard entry.value.isFinite else { violated("non-finite value accepted: \(entry)") }
        guard names.insert(entry.id).inserted else { violated("\(entry.id) accepted twice") }
    }
    let written = ParameterFile.format(entries, header: "written back")
    let reread: [ParameterFile.Entry]
    do { reread = try ParameterFile.parse(written, path: path) } catch {
        violated("its own output refused: \(error)\n\(written)")
    }
    guard reread.map(\.id) == entries.map(\.id),
          reread.map(\.value.bitPattern) == entries.map(\.value.bitPattern)
    else { violated("write and read back changed the entries:\n\(written)") }
    guard ParameterFile.format(reread, header: "written back") == written else {
        violated("formatting is not stable:\n\(written)")
    }
    return 0
}
