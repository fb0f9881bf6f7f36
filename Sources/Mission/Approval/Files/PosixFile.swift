#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// File access for key and request files through POSIX calls, so permissions are checked on the descriptor that is
/// read (no window between check and use) and new secret files are created 0600 from the start.
enum PosixFile {
    static let maximumByteCount = 1 << 20

    enum Failure: Error, Equatable {
        case open(errno: Int32)
        case notRegularFile
        case tooLarge(Int)
        case read(errno: Int32)
        case permissionsTooOpen(mode: UInt32)
        case writableByOthers(mode: UInt32)
        case alreadyExists
        case write(errno: Int32)

        var description: String {
            switch self {
            case .open(let e): "cannot open: \(Self.message(e))"
            case .notRegularFile: "not a regular file"
            case .tooLarge(let n): "\(n) bytes is too large for a key or request file"
            case .read(let e): "cannot read: \(Self.message(e))"
            case .permissionsTooOpen(let m):
                "mode is \(String(m, radix: 8)); a private key file must be readable by its owner only (chmod 600)"
            case .writableByOthers(let m):
                "mode is \(String(m, radix: 8)); a key file that group or others can write lets them add keys (chmod go-w)"
            case .alreadyExists: "already exists; refusing to overwrite"
            case .write(let e): "cannot write: \(Self.message(e))"
            }
        }

        static func message(_ e: Int32) -> String {
            guard let s = strerror(e) else { return "errno \(e)" }
            return String(cString: s)
        }
    }

    /// Reads a whole regular file. With `ownerOnly`, refuses files that grant any permission to group or others;
    /// with `notWritableByOthers`, files that group or others may modify.
    static func readAll(_ path: String, ownerOnly: Bool = false, notWritableByOthers: Bool = false) throws(Failure)
        -> [UInt8]
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (ownerOnly ? O_NOFOLLOW : 0))
        guard fd >= 0 else { throw .open(errno: errno) }
        defer { _ = close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .read(errno: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile }
        if ownerOnly, st.st_mode & 0o077 != 0 { throw .permissionsTooOpen(mode: UInt32(st.st_mode & 0o7777)) }
        if notWritableByOthers, st.st_mode & 0o022 != 0 { throw .writableByOthers(mode: UInt32(st.st_mode & 0o7777)) }
        guard st.st_size <= maximumByteCount else { throw .tooLarge(Int(st.st_size)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .read(errno: errno)
            }
            bytes += chunk[0..<n]
            guard bytes.count <= maximumByteCount else { throw .tooLarge(bytes.count) }
        }
        return bytes
    }

    /// Creates a new file with `mode` (never replaces an existing one) and writes `contents` durably.
    static func createNew(_ path: String, contents: [UInt8], mode: mode_t) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw errno == EEXIST ? .alreadyExists : .open(errno: errno) }
        var failure: Failure?
        if fchmod(fd, mode) != 0 { failure = .write(errno: errno) }
        var done = 0
        while failure == nil, done < contents.count {
            let n = contents.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return write(fd, base + done, raw.count - done)
            }
            if n > 0 { done += n } else if n < 0, errno == EINTR { continue } else { failure = .write(errno: errno) }
        }
        if failure == nil, fsync(fd) != 0 { failure = .write(errno: errno) }
        if close(fd) != 0, failure == nil { failure = .write(errno: errno) }
        if let failure {
            _ = unlink(path)
            throw failure
        }
    }
}
