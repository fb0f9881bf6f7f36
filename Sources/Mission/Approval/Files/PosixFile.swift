#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Creates key and approval files through POSIX calls, so a new secret file is created 0600 from the start and an
/// existing file is never replaced. Reading them is `ProtectedFile` (SecretFiles), which checks their modes.
enum PosixFile {
    enum Failure: Error, Equatable {
        case open(errno: Int32)
        case alreadyExists
        case write(errno: Int32)

        var description: String {
            switch self {
            case .open(let e): "cannot open: \(Self.message(e))"
            case .alreadyExists: "already exists; refusing to overwrite"
            case .write(let e): "cannot write: \(Self.message(e))"
            }
        }

        static func message(_ e: Int32) -> String {
            guard let s = strerror(e) else { return "errno \(e)" }
            return String(cString: s)
        }
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
