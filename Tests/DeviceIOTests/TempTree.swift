#if canImport(Glibc)
import Glibc
#endif

/// A throw-away directory for tests that need files laid out like /dev or /sys.
final class TempTree {
    let root: String

    init() {
        var template = Array("/tmp/kestrel-deviceio-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        root = made.map { String(cString: $0) } ?? "/tmp/kestrel-deviceio-failed"
    }

    deinit { _ = system("rm -rf '\(root)'") }

    func makeDirectory(_ relative: String) {
        _ = mkdir("\(root)/\(relative)", 0o755)
    }

    func write(_ relative: String, _ text: String) {
        guard let file = fopen("\(root)/\(relative)", "w") else { return }
        fputs(text, file)
        fclose(file)
    }

    func read(_ relative: String) -> String? {
        guard let file = fopen("\(root)/\(relative)", "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let c = fgetc(file)
            if c == EOF { break }
            bytes.append(UInt8(truncatingIfNeeded: c))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
