#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SecretFiles

/// Why the persisted signing timestamp could not be read or written.
public enum SigningTimestampFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(FileReadError)
    /// Not one decimal number of at most 48 bits.
    case malformed(path: String)
    case cannotWrite(path: String, errno: Int32)

    public var description: String {
        switch self {
        case let .unreadable(error): "signing timestamp \(error)"
        case let .malformed(path): "signing timestamp \(path): not a decimal MAVLink signing timestamp"
        case let .cannotWrite(path, code): "signing timestamp \(path): cannot write (\(FileReadError.message(code)))"
        }
    }
}

/// The last MAVLink signing timestamp a vehicle used, kept across restarts: a board without a real-time clock boots
/// in 1970 and would otherwise sign with timestamps its ground stations already saw (replays to them) or that are
/// years old. One decimal number in a small file, written whole (temporary file, fsync, rename).
public enum SigningTimestampFile {
    /// How often `kestrel fly` writes it; at start-up the floor is the stored value plus two of these, since up to
    /// one interval of timestamps may have been used after the last write.
    public static let saveIntervalUs: UInt64 = 30_000_000

    /// The stored timestamp, nil when there is no file yet (the first start).
    public static func load(path: String) throws(SigningTimestampFileError) -> UInt64? {
        let bytes: [UInt8]
        do { bytes = try ProtectedFile.readAll(path: path, maximumByteCount: 64, access: .notWritableByOthers) } catch {
            if case .cannotOpen(_, let code) = error, code == ENOENT { return nil }
            throw .unreadable(error)
        }
        guard let text = String(validating: bytes, as: UTF8.self),
              let value = UInt64(text.trimmingCharacters(in: " \n\t\r")), value <= SignatureTimestamp.max
        else { throw .malformed(path: path) }
        return value
    }

    /// The floor to start from for a stored `timestamp` (see `saveIntervalUs`).
    public static func startingFloor(afterStored timestamp: UInt64) -> UInt64 {
        min(timestamp &+ 2 * saveIntervalUs / 10, SignatureTimestamp.max)
    }

    public static func save(_ timestamp: UInt64, path: String) throws(SigningTimestampFileError) {
        let temporary = path + ".new"
        let bytes = Array("\(timestamp)\n".utf8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: temporary, errno: errno) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = written == bytes.count && fsync(fd) == 0
        let code = errno
        close(fd)
        guard synced else {
            unlink(temporary)
            throw .cannotWrite(path: temporary, errno: code)
        }
        guard rename(temporary, path) == 0 else { throw .cannotWrite(path: path, errno: errno) }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
