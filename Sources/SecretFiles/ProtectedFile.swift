#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads small files whose permissions matter (keys, the authorised-operator list, approval files) through POSIX
/// calls, so the mode is checked on the descriptor that is read (no window between check and use) and the size is
/// bounded before and while reading.
public enum ProtectedFile {
    /// What the file's mode must not grant.
    public enum Access: Sendable {
        /// Any regular file.
        case any
        /// Group and others may not write it (whoever can write an authorised-key list can authorise themselves).
        case notWritableByOthers
        /// A secret: group and others get no permission at all (mode 0600 or 0400), and a symbolic link is refused
        /// rather than followed, so the file checked is the file named.
        case ownerOnly
    }

    /// Reads a secret key file: opened with `O_NOFOLLOW` (a symbolic link is `.symbolicLink`), no permission for
    /// group or others (`.permissionsTooOpen`), at most `maximumByteCount` bytes (`.tooLarge`).
    public static func readSecret(path: String, maximumByteCount: Int) throws(FileReadError) -> [UInt8] {
        try readAll(path: path, maximumByteCount: maximumByteCount, access: .ownerOnly)
    }

    /// Reads a whole regular file of at most `maximumByteCount` bytes whose mode satisfies `access`.
    public static func readAll(path: String, maximumByteCount: Int, access: Access) throws(FileReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | (access == .ownerOnly ? O_NOFOLLOW : 0))
        guard descriptor >= 0 else {
            let code = errno
            throw code == ELOOP && access == .ownerOnly ? .symbolicLink(path: path) : .cannotOpen(path: path, errno: code)
        }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let mode = UInt32(status.st_mode & 0o7777)
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
}

/// Why `ProtectedFile` refused or could not read a file; every case names the path.
public enum FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)
    /// The path is a symbolic link and the file is a secret (opened with `O_NOFOLLOW`).
    case symbolicLink(path: String)
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
             .permissionsTooOpen(let path, _), .writableByOthers(let path, _), .tooLarge(let path, _, _):
            path
        }
    }

    /// What went wrong, without the path.
    public var reason: String {
        switch self {
        case .cannotOpen(_, let code): "cannot open (\(Self.message(code)))"
        case .symbolicLink: "is a symbolic link; a secret file is read only through its real path"
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
