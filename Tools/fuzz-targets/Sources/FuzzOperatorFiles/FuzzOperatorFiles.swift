// libFuzzer entry point for the operator's files (`kestrel approve`, the vehicle's authorised-operator file): the
// input's first byte picks the kind (authorised key file, private key file, request file, approval file), the rest
// is the file's bytes, handed to that kind's `parse` as `load` does after reading the file.
//
// Invariants: a refusal is the kind's typed error naming the file and, for a problem of one line, a line that
// exists; an accepted file writes back (`line(for:)`, `text(for:)`) to a file that parses to the same value.
import FuzzSupport
import Mission

@_cdecl("fuzz_operator_files_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOperatorFiles)
}

let path = "fuzz-operator-file"

let fuzzOperatorFiles: FuzzCallback = { data, size in
    var input = FuzzInput(data, size)
    let kind = input.byte() % 4
    check(kind: kind, Array(input.rest()))
    return 0
}

func checkPlace<P>(_ error: OperatorFileError<P>, lineCount: Int) {
    guard error.path == path else { violated("error without the file: \(error)") }
    if let line = error.line, line < 1 || line > lineCount {
        violated("error names line \(line) of \(lineCount): \(error)")
    }
}

func check(kind: UInt8, _ bytes: [UInt8]) {
    let lineCount = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
    switch kind {
    case 0:
        do throws(AuthorisedKeyFileError) {
            let ring = try AuthorisedKeyFile.parse(bytes, path: path)
            guard !ring.keys.isEmpty, ring.keys.count <= OperatorKeyRing.maximumKeyCount else {
                violated("\(ring.keys.count) keys accepted")
            }
            if let weak = ring.keys.first(where: { $0.weakness != nil }) { violated("weak key accepted: \(weak.name)") }
            let text = ring.keys.map(AuthorisedKeyFile.line(for:)).joined(separator: "\n")
            guard let again = try? AuthorisedKeyFile.parse(Array(text.utf8), path: path),
                  again.keys.map(\.name) == ring.keys.map(\.name), again.keys.map(\.keyID) == ring.keys.map(\.keyID)
            else { violated("written-back key file does not read back:\n\(text)") }
        } catch { checkPlace(error, lineCount: lineCount) }
    case 1:
        do throws(OperatorPrivateKeyFileError) {
            let key = try OperatorPrivateKeyFile.parse(bytes, path: path)
            let text = OperatorPrivateKeyFile.text(for: key)
            guard let again = try? OperatorPrivateKeyFile.parse(Array(text.utf8), path: path),
                  again.name == key.name, again.keyID == key.keyID
            else { violated("written-back private key file does not read back:\n\(text)") }
        } catch { checkPlace(error, lineCount: lineCount) }
    case 2:
        do throws(ApprovalFileError) {
            let request = try RequestFile.parse(bytes, path: path)
            guard request.expiresUs > request.issuedUs else { violated("request expires before issue: \(request)") }
            let text = RequestFile.text(for: request)
            guard (try? RequestFile.parse(Array(text.utf8), path: path)) == request else {
                violated("written-back request file does not read back:\n\(text)")
            }
        } catch { checkPlace(error, lineCount: lineCount) }
    default:
        do throws(ApprovalFileError) {
            let approval = try ApprovalFile.parse(bytes, path: path)
            let text = ApprovalFile.text(for: approval)
            guard (try? ApprovalFile.parse(Array(text.utf8), path: path)) == approval else {
                violated("written-back approval file does not read back:\n\(text)")
            }
        } catch { checkPlace(error, lineCount: lineCount) }
    }
}
