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

    // MARK: finding 9f of issue 16: owner, folder and links of key files

    /// A new folder in /tmp with `mode`, holding `name` with `bytes` and `fileMode`.
    private func fileInFolder(mode: Int, fileMode: Int = 0o600, _ bytes: [UInt8] = Array(0..<32)) -> (String, String) {
        let folder = "/tmp/kestrel-folder-\(UUID().uuidString)"
        precondition(mkdir(folder, 0o700) == 0 && chmod(folder, mode_t(mode)) == 0)
        let path = folder + "/key"
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes),
                                                    attributes: [.posixPermissions: fileMode]))
        return (folder, path)
    }

    private func remove(_ folder: String) { try? FileManager.default.removeItem(atPath: folder) }

    @Test func refusesAnOperatorFileReachedThroughASymbolicLink() throws {
        let (folder, target) = fileInFolder(mode: 0o755, fileMode: 0o644, Array("alice ed25519 x\n".utf8))
        defer { remove(folder) }
        let link = folder + "/operators.keys"
        #expect(symlink(target, link) == 0)
        #expect(throws: FileReadError.symbolicLink(path: link)) {
            try ProtectedFile.readAll(path: link, maximumByteCount: 256, access: .notWritableByOthers)
        }
        #expect(try ProtectedFile.readAll(path: target, maximumByteCount: 256, access: .notWritableByOthers).count == 16)
    }

    @Test func refusesKeyFilesInAFolderOthersCanWrite() throws {
        for mode in [0o777, 0o775, 0o757] {
            let (folder, path) = fileInFolder(mode: mode)
            defer { remove(folder) }
            #expect(throws: FileReadError.folderWritableByOthers(path: folder, mode: UInt32(mode))) {
                try ProtectedFile.readSecret(path: path, maximumByteCount: 256)
            }
            chmod(path, 0o644)
            #expect(throws: FileReadError.folderWritableByOthers(path: folder, mode: UInt32(mode))) {
                try ProtectedFile.readAll(path: path, maximumByteCount: 256, access: .notWritableByOthers)
            }
        }
        // A sticky world-writable folder (like /tmp) is safe for a file its reader owns; 0755 is.
        for mode in [0o1777, 0o755] {
            let (folder, path) = fileInFolder(mode: mode)
            defer { remove(folder) }
            #expect(try ProtectedFile.readSecret(path: path, maximumByteCount: 256).count == 32)
        }
    }

    /// Ownership needs a second user: run where the tests may chown (as root in CI), else only the reader's own
    /// files exist and the check has nothing to refuse.
    @Test(.enabled(if: geteuid() == 0)) func refusesKeyFilesOrFoldersOfAnotherUser() throws {
        let (folder, path) = fileInFolder(mode: 0o755)
        defer { remove(folder) }
        #expect(chown(path, 4321, 4321) == 0)
        #expect(throws: FileReadError.wrongOwner(path: path, uid: 4321)) {
            try ProtectedFile.readSecret(path: path, maximumByteCount: 256)
        }
        #expect(chown(path, 0, 0) == 0 && chown(folder, 4321, 4321) == 0)
        #expect(throws: FileReadError.folderWrongOwner(path: folder, uid: 4321)) {
            try ProtectedFile.readSecret(path: path, maximumByteCount: 256)
        }
    }
}
