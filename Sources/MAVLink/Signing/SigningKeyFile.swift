#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why a signing key file was refused.
public enum SigningKeyFileError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)
    case cannotRead(path: String, errno: Int32)
    case notARegularFile(path: String)
    /// Group or others may access the file; the key must be private to its owner (mode 0600 or 0400).
    case permissionsTooOpen(path: String, mode: UInt32)
    /// Neither 32 raw bytes nor 64 hexadecimal digits.
    case badLength(path: String, byteCount: Int)
    case badHexDigit(path: String, offset: Int)

    public var description: String {
        switch self {
        case let .cannotOpen(path, code): "signing key \(path): cannot open (\(Self.message(code)))"
        case let .cannotRead(path, code): "signing key \(path): cannot read (\(Self.message(code)))"
        case let .notARegularFile(path): "signing key \(path): not a regular file"
        case let .permissionsTooOpen(path, mode):
            "signing key \(path): mode \(String(mode, radix: 8)) lets group/others read it; chmod 600 \(path)"
        case let .badLength(path, count):
            "signing key \(path): \(count) bytes, expected 32 raw bytes or 64 hex digits"
        case let .badHexDigit(path, offset): "signing key \(path): byte \(offset) is not a hex digit"
        }
    }

    private static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)), errno \(code)"
    }
}

/// Loads the MAVLink signing key at start-up: a file of exactly 32 raw bytes, or 64 hex digits (surrounding
/// whitespace allowed), readable by its owner only.
public enum SigningKeyFile {
    public static func load(path: String) throws(SigningKeyFileError) -> SigningKey {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let permissions = UInt32(status.st_mode & 0o777)
        guard permissions & 0o077 == 0 else { throw .permissionsTooOpen(path: path, mode: permissions) }

        // A key file is tiny; anything beyond 256 bytes is wrong anyway and only reported by size.
        var contents = [UInt8](repeating: 0, count: 257)
        var total = 0
        while total < contents.count {
            let got = contents.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress.map { $0 + total }, raw.count - total)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, errno: errno)
            }
            if got == 0 { break }
            total += got
        }
        return try parse(Array(contents[0..<total]), path: path)
    }

    /// The key in `contents` (raw or hex, see `load`); `path` only names the source in errors.
    public static func parse(_ contents: [UInt8], path: String) throws(SigningKeyFileError) -> SigningKey {
        if contents.count == SigningKey.length, let key = SigningKey(bytes: contents) { return key }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let start = contents.firstIndex { !isSpace($0) } ?? contents.count
        let end = (contents.lastIndex { !isSpace($0) }).map { $0 + 1 } ?? start
        guard end - start == 2 * SigningKey.length else { throw .badLength(path: path, byteCount: contents.count) }
        var bytes = [UInt8](repeating: 0, count: SigningKey.length)
        for index in 0..<SigningKey.length {
            let offset = start + 2 * index
            guard let high = hexValue(contents[offset]) else { throw .badHexDigit(path: path, offset: offset) }
            guard let low = hexValue(contents[offset + 1]) else { throw .badHexDigit(path: path, offset: offset + 1) }
            bytes[index] = high << 4 | low
        }
        guard let key = SigningKey(bytes: bytes) else { throw .badLength(path: path, byteCount: contents.count) }
        return key
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x41...0x46: digit - 0x41 + 10
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }
}
