#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import SecretFiles
import Testing

@Suite struct ProtectedFileTests {
    /// A new file in /tmp holding `bytes` with exactly `mode`.
    private func temporaryFile(_ bytes: [UInt8], mode: Int) -> String {
        let path = "/tmp/kestrel-secret-\(UUID().uuidString)"
        let created = FileManager.default.createFile(atPath: path, contents: Data(bytes),
                                                     attributes: [.posixPermissions: mode])
        precondition(created)
        return path
    }

    @Test func readsAnOwnerOnlySecret() throws {
        let path = temporaryFile(Array(0..<32), mode: 0o600)
        defer { unlink(path) }
        #expect(try ProtectedFile.readSecret(path: path, maximumByteCount: 256) == Array(0..<32))
    }

    @Test func refusesASymbolicLinkToAValidSecret() throws {
        // The target itself is a valid 0600 secret, so only O_NOFOLLOW can refuse the read.
        let target = temporaryFile(Array(0..<32), mode: 0o600)
        defer { unlink(target) }
        let link = target + ".link"
        #expect(symlink(target, link) == 0)
        defer { unlink(link) }
        #expect(throws: FileReadError.symbolicLink(path: link)) {
            try ProtectedFile.readSecret(path: link, maximumByteCount: 256)
        }
        #expect(FileReadError.symbolicLink(path: link).description.hasPrefix("\(link): is a symbolic link"))
        // A file that is not a secret may be reached through a link.
        #expect(try ProtectedFile.readAll(path: link, maximumByteCount: 256, access: .any) == Array(0..<32))
    }

    @Test func refusesASecretGroupOrOthersCanRead() throws {
        for mode in [0o640, 0o604, 0o620] {
            let path = temporaryFile(Array(0..<32), mode: mode)
            defer { unlink(path) }
            #expect(throws: FileReadError.permissionsTooOpen(path: path, mode: UInt32(mode))) {
                try ProtectedFile.readSecret(path: path, maximumByteCount: 256)
            }
        }
        let readOnly = temporaryFile(Array(0..<32), mode: 0o400)
        defer { unlink(readOnly) }
        #expect(try ProtectedFile.readSecret(path: readOnly, maximumByteCount: 256).count == 32)
    }

    @Test func refusesAFileOthersCanWriteWhenAskedTo() throws {
        let path = temporaryFile(Array("alice ed25519 x\n".utf8), mode: 0o664)
        defer { unlink(path) }
        #expect(throws: FileReadError.writableByOthers(path: path, mode: 0o664)) {
            try ProtectedFile.readAll(path: path, maximumByteCount: 256, access: .notWritableByOthers)
        }
        chmod(path, 0o644)
        #expect(try ProtectedFile.readAll(path: path, maximumByteCount: 256, access: .notWritableByOthers).count == 16)
    }

    @Test func boundsTheSize() {
        let path = temporaryFile(Array(repeating: 0x41, count: 257), mode: 0o600)
        defer { unlink(path) }
        #expect(throws: FileReadError.tooLarge(path: path, byteCount: 257, limit: 256)) {
            try ProtectedFile.readSecret(path: path, maximumByteCount: 256)
        }
    }

    @Test func missingFilesAndDirectoriesAreTypedErrors() {
        #expect(throws: FileReadError.cannotOpen(path: "/nonexistent/kestrel.key", errno: ENOENT)) {
            try ProtectedFile.readSecret(path: "/nonexistent/kestrel.key", maximumByteCount: 256)
        }
        #expect(throws: FileReadError.notARegularFile(path: "/tmp")) {
            try ProtectedFile.readAll(path: "/tmp", maximumByteCount: 256, access: .any)
        }
    }
}
