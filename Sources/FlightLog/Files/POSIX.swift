// Thin wrappers over the C library for the log thread's file work (create, write, fsync, list, remove).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file-system operation that failed, with the path and the errno text.
public struct FlightLogFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let operation: String
    public let path: String
    public let errno: Int32

    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation; self.path = path; self.errno = errno
    }

    public var description: String {
        let text = strerror(errno).map { String(cString: $0) } ?? "errno \(errno)"
        return "\(operation) '\(path)' failed: \(text)"
    }
}

enum POSIXFile {
    static var lastErrno: Int32 { errno }

    /// Writes all bytes, retrying short writes and EINTR.
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(FlightLogFileError) {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw FlightLogFileError(operation: "write", path: path, errno: errno)
            }
            left -= n
            p += n
        }
    }

    static func fsyncFile(fd: Int32, path: String) throws(FlightLogFileError) {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw FlightLogFileError(operation: "fsync", path: path, errno: errno)
        }
    }

    /// fsync of a directory makes a newly created or removed entry survive power loss.
    static func syncDirectory(_ path: String) throws(FlightLogFileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FlightLogFileError(operation: "open directory", path: path, errno: errno) }
        defer { close(fd) }
        try fsyncFile(fd: fd, path: path)
    }

    /// Reads a whole file (the reader's input).
    static func readAll(path: String) throws(FlightLogFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FlightLogFileError(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FlightLogFileError(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Creates `path` and missing parents, like `mkdir -p`.
    static func makeDirectories(_ path: String) throws(FlightLogFileError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw FlightLogFileError(operation: "mkdir", path: prefix, errno: errno)
            }
            prefix += "/"
        }
    }

    struct Entry { let name: String; let sizeBytes: Int; let modifiedNs: Int64 }

    /// Regular files in a directory.
    static func listFiles(_ path: String) throws(FlightLogFileError) -> [Entry] {
        guard let dir = opendir(path) else { throw FlightLogFileError(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var out: [Entry] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: &ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            guard stat(path + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            out.append(Entry(name: name, sizeBytes: Int(st.st_size), modifiedNs: ns))
        }
        return out
    }

    static func remove(_ path: String) throws(FlightLogFileError) {
        guard unlink(path) == 0 else { throw FlightLogFileError(operation: "unlink", path: path, errno: errno) }
    }
}

/// Loads a log file for `ULogReader` (file I/O only; parsing is separate).
public func readFlightLogFile(path: String) throws(FlightLogFileError) -> [UInt8] {
    try POSIXFile.readAll(path: path)
}
