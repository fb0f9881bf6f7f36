#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who has the flight board: the flight daemon or a board check, never both. An exclusive `flock` on one file per
/// machine, held for the life of the process; the holder writes its pid and program there so the refusal names it.
/// The kernel drops the lock when the holder exits, however it exits, so a crashed daemon never leaves it stale.
public final class BoardLock {
    /// `/run/lock`: a tmpfs every user may create in, cleared at boot.
    public static let defaultPath = "/run/lock/kestrel.lock"

    public let path: String
    private let fd: Int32

    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// Another process holds the board; `holder` is what it wrote ("pid 812: kestrel fly"), if readable.
        case held(path: String, holder: String?)
        case cannotOpen(path: String, errno: Int32)

        public var description: String {
            switch self {
            case .held(let path, let holder):
                return "the flight board is in use by \(holder ?? "another process") (lock \(path)); stop it first "
                    + "(sudo systemctl stop kestrel) — the daemon and a board check must never drive the same devices"
            case .cannotOpen(let path, let errno):
                return "cannot open the board lock \(path): \(String(cString: strerror(errno)))"
            }
        }
    }

    /// Takes the board for `program` ("kestrel fly"), or throws naming who has it. Never waits.
    public init(path: String = BoardLock.defaultPath, program: String) throws(Failure) {
        self.path = path
        // An existing file is opened without O_CREAT: in a sticky world-writable folder the kernel refuses O_CREAT
        // on another user's file (fs.protected_regular), and the daemon and a check may run as different users.
        var fd = open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 && (errno == EACCES || errno == EPERM) { fd = open(path, O_RDONLY | O_CLOEXEC) }
        if fd < 0 && errno == ENOENT {
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { fchmod(fd, 0o666) }  // either user may write its name in it later
            else if errno == EEXIST { fd = open(path, O_RDONLY | O_CLOEXEC) }
        }
        guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.readHolder(fd)
            close(fd)
            throw .held(path: path, holder: holder)
        }
        self.fd = fd
        let text = "pid \(getpid()): \(program)\n"
        if ftruncate(fd, 0) == 0 {
            _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        }
    }

    deinit {
        // Closing drops the lock; the file stays, so the next holder needs no O_CREAT.
        close(fd)
    }

    private static func readHolder(_ fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[0..<count], as: UTF8.self).split(separator: "\n").first.map(String.init)
        return text?.isEmpty == false ? text : nil
    }
}
