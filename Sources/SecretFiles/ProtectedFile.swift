#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads small files whose permissions matter (keys, the authorised-operator list, approval files) through POSIX
/// calls, so the mode is checked on the descriptor that is read (no window between check and use) and the size is
/// bounded before and while reading.
///
/// For the protected kinds (`.notWritableByOthers`, `.ownerOnly`) the file is opened relative to its folder, which is
/// checked first on its own descriptor: the folder must belong to the reader or root and not be writable by group
/// or others unless it is sticky (as /tmp: there others cannot replace a file they do not own), because whoever can
/// write the folder can swap the file. The file itself must belong to the reader or root, is never reached through
/// a symbolic link (`O_NOFOLLOW`), and its mode must satisfy `access`. (Folders above the file's own are not
/// checked.)
public enum ProtectedFile {
    /// What the file's mode must not grant.
    public enum Access: Sendable {
        /// Any regular file.
        case any
        /// Group and others may not write it (whoever can write an authorised-key list can authorise themselves).
        case notWritableByOthers
        /// A secret: group and others get no permission at all (mode 0600 or 0400).
        case ownerOnly
    }

    /// Reads a secret key file: opened with `O_NOFOLLOW` (a symbolic link is `.symbolicLink`), no permission for
    /// group or others (`.permissionsTooOpen`), at most `maximumByteCount` bytes (`.tooLarge`), in a safe folder.
    public static func readSecret(path: String, maximumByteCount: Int) throws(FileReadError) -> [UInt8] {
        try readAll(path: path, maximumByteCount: maximumByteCount, access: .ownerOnly)
    }

    /// Reads a whole regular file of at most `maximumByteCount` bytes whose mode satisfies `access`.
    public static func readAll(path: String, maximumByteCount: Int, access: Access) throws(FileReadError) -> [UInt8] {
        let descriptor = access == .any
            ? open(path, O_RDONLY | O_CLOEXEC) : try openInCheckedFolder(path)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let mode = UInt32(status.st_mode & 0o7777)
        if access != .any, !isTrustedOwner(status.st_uid) { throw .wrongOwner(path: path, uid: status.st_uid) }
        switch access {
        case .any: break
        case .notWritableByOthers: if mode & 0o022 != 0 { throw .writableByOthers(path: path, mode: mode) }
        case .ownerOnly: if mode & 0o077 != 0 { throw .permissionsTooOpen(path: path, mode: mode) }
        }
        guard status.st_size <= maximumByteCount else {
            throw .tooLarge(path: path, byteCount: Int(status.st_size), limit: maximumByteCount)
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, errno: errno)
            }
            bytes += chunk[0..<got]
            // The file grew after fstat.
            guard bytes.count <= maximumByteCount else {
                throw .tooLarge(path: path, byteCount: bytes.count, limit: maximumByteCount)
            }
        }
        return bytes
    }

    /// The reader (effective uid) or root.
    static func isTrustedOwner(_ uid: uid_t) -> Bool { uid == 0 || uid == geteuid() }

    /// Opens the folder of `path`, checks it, then opens the file relative to it without following a link.
    private static func openInCheckedFolder(_ path: String) throws(FileReadError) -> Int32 {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderDescriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { _ = close(folderDescriptor) }
        var status = stat()
        guard fstat(folderDescriptor, &status) == 0 else { throw .cannotRead(path: folder, errno: errno) }
        guard isTrustedOwner(status.st_uid) else { throw .folderWrongOwner(path: folder, uid: status.st_uid) }
        let mode = UInt32(status.st_mode & 0o7777)
        if mode & 0o022 != 0, mode & UInt32(S_ISVTX) == 0 { throw .folderWritableByOthers(path: folder, mode: mode) }
        let descriptor = openat(folderDescriptor, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let code = errno
            throw code == ELOOP ? .symbolicLink(path: path) : .cannotOpen(path: path, errno: code)
        }
        return descriptor
    }
}

/// Why `ProtectedFile` refused or could not read a file; every case names the path.
public enum FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)
    /// The path is a symbolic link and the file is protected (opened with `O_NOFOLLOW`).
    case symbolicLink(path: String)
    /// A protected file that belongs to neither the reader nor root.
    case wrongOwner(path: String, uid: UInt32)
    /// The folder of a protected file belongs to neither the reader nor root.
    case folderWrongOwner(path: String, uid: UInt32)
    /// The folder of a protected file is writable by group or others (and not sticky): the file can be swapped.
    case folderWritableByOthers(path: String, mode: UInt32)
    case cannotRead(path: String, errno: Int32)
    case notARegularFile(path: String)
    /// Group or others have some permission on a secret file.
    case permissionsTooOpen(path: String, mode: UInt32)
    /// Group or others may write a file that must not be writable by them.
    case writableByOthers(path: String, mode: UInt32)
    case tooLarge(path: String, byteCount: Int, limit: Int)

    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .symbolicLink(let path), .cannotRead(let path, _), .notARegularFile(let path),
             .permissionsTooOpen(let path, _), .writableByOthers(let path, _), .tooLarge(let path, _, _),
             .wrongOwner(let path, _), .folderWrongOwner(let path, _), .folderWritableByOthers(let path, _):
            path
        }
    }

    /// What went wrong, without the path.
    public var reason: String {
        switch self {
        case .cannotOpen(_, let code): "cannot open (\(Self.message(code)))"
        case .symbolicLink: "is a symbolic link; a key file is read only through its real path"
        case .wrongOwner(_, let uid): "belongs to uid \(uid), neither this user nor root (chown it)"
        case .folderWrongOwner(_, let uid):
            "folder belongs to uid \(uid), neither this user nor root; whoever owns it can replace the key file"
        case .folderWritableByOthers(_, let mode):
            "folder mode \(String(mode, radix: 8)) lets group or others replace the key file in it (chmod go-w)"
        case .cannotRead(_, let code): "cannot read (\(Self.message(code)))"
        case .notARegularFile: "not a regular file"
        case .permissionsTooOpen(_, let mode):
            "mode \(String(mode, radix: 8)) gives group or others access; it must be readable by its owner only (chmod 600)"
        case .writableByOthers(_, let mode):
            "mode \(String(mode, radix: 8)) lets group or others write it (chmod go-w)"
        case .tooLarge(_, let count, let limit): "\(count) bytes is more than the \(limit) bytes allowed"
        }
    }

    public var description: String { "\(path): \(reason)" }

    /// strerror text and the errno number.
    public static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)), errno \(code)"
    }
}
