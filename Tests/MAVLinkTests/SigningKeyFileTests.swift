#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import MAVLink

@Suite struct SigningKeyFileTests {
    private func writeTemporary(_ bytes: [UInt8], mode: mode_t) -> String {
        var template = Array("/tmp/kestrel-key-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(descriptor >= 0)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fchmod(descriptor, mode)
        close(descriptor)
        return String(cString: template)
    }

    @Test func loadsRawAndHexKeys() throws {
        let raw = writeTemporary(Array(100..<132), mode: 0o600)
        defer { unlink(raw) }
        #expect(try SigningKeyFile.load(path: raw) == SigningKey(bytes: Array(100..<132)))
        let hex = writeTemporary(Array(("  " + String(repeating: "0a", count: 31) + "FF\n").utf8), mode: 0o400)
        defer { unlink(hex) }
        #expect(try SigningKeyFile.load(path: hex) == SigningKey(bytes: Array(repeating: 10, count: 31) + [255]))
    }

    @Test func rejectsAKeyOthersCanRead() {
        let path = writeTemporary(Array(0..<32), mode: 0o644)
        defer { unlink(path) }
        #expect(throws: SigningKeyFileError.permissionsTooOpen(path: path, mode: 0o644)) {
            try SigningKeyFile.load(path: path)
        }
        #expect(
            SigningKeyFileError.permissionsTooOpen(path: path, mode: 0o644).description
                == "signing key \(path): mode 644 lets group/others read it; chmod 600 \(path)")
    }

    @Test func rejectsWrongLengthBadHexAndMissingFiles() {
        let short = writeTemporary(Array(0..<31), mode: 0o600)
        defer { unlink(short) }
        #expect(throws: SigningKeyFileError.badLength(path: short, byteCount: 31)) {
            try SigningKeyFile.load(path: short)
        }
        let badHex = writeTemporary(Array((String(repeating: "ab", count: 31) + "zz").utf8), mode: 0o600)
        defer { unlink(badHex) }
        #expect(throws: SigningKeyFileError.badHexDigit(path: badHex, offset: 62)) {
            try SigningKeyFile.load(path: badHex)
        }
        #expect(throws: SigningKeyFileError.unreadable(.cannotOpen(path: "/nonexistent/kestrel.key", errno: ENOENT))) {
            try SigningKeyFile.load(path: "/nonexistent/kestrel.key")
        }
        #expect(throws: SigningKeyFileError.unreadable(.notARegularFile(path: "/tmp"))) {
            try SigningKeyFile.load(path: "/tmp")
        }
    }
}
