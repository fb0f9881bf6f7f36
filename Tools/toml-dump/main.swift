// Prints a TOML file (argument, or standard input) parsed by Kestrel's TOML module as JSON in toml-test's tagged
// form: every scalar {"type": "integer", "value": "42"}, arrays and tables as JSON arrays and objects. On a syntax
// error it prints `LINE:COLUMN: MESSAGE` on standard error and exits 1. For the differential test against Python's
// tomllib (Tests/Interop/test_toml_tomllib.py).
import TOML

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func readAll(_ fd: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { return bytes }
        bytes.append(contentsOf: buffer[0..<n])
    }
}

func fail(_ message: String, status: Int32) -> Never {
    let line = Array((message + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func offset(_ minutes: Int) -> String {
    guard minutes != 0 else { return "Z" }
    let m = abs(minutes)
    return (minutes < 0 ? "-" : "+") + pad2(m / 60) + ":" + pad2(m % 60)
}

func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

func tagged(_ type: String, _ value: String) -> String {
    "{\"type\":\"\(type)\",\"value\":\(jsonString(value))}"
}

func json(_ value: TOMLValue) -> String {
    switch value {
    case .string(let s): tagged("string", s)
    case .integer(let i): tagged("integer", String(i))
    case .float(let d): tagged("float", d.isNaN ? "nan" : String(d))
    case .boolean(let b): tagged("bool", String(b))
    case .offsetDateTime(let d, let t, let o): tagged("datetime", "\(d)T\(t)\(offset(o))")
    case .localDateTime(let d, let t): tagged("datetime-local", "\(d)T\(t)")
    case .localDate(let d): tagged("date-local", "\(d)")
    case .localTime(let t): tagged("time-local", "\(t)")
    case .array(let a): "[" + a.map(json).joined(separator: ",") + "]"
    case .table(let t): "{" + t.entries.map { jsonString($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
    }
}

let arguments = CommandLine.arguments.dropFirst()
let bytes: [UInt8]
if let path = arguments.first {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fail("toml-dump: cannot open \(path)", status: 2) }
    bytes = readAll(fd)
    close(fd)
} else {
    bytes = readAll(0)
}
guard let text = String(validating: bytes, as: UTF8.self) else { fail("0:0: not UTF-8", status: 1) }
do {
    print(json(.table(try TOMLParser.parse(text))))
} catch {
    fail("\(error)", status: 1)
}
