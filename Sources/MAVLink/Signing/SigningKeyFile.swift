import SecretFiles

/// Why a signing key file was refused.
public enum SigningKeyFileError: Error, Equatable, CustomStringConvertible {
    /// Missing, a symbolic link, not a regular file, larger than a key file can be, or a read failed.
    case unreadable(FileReadError)
    /// Group or others may access the file; the key must be private to its owner (mode 0600 or 0400).
    case permissionsTooOpen(path: String, mode: UInt32)
    /// Neither 32 raw bytes nor 64 hexadecimal digits.
    case badLength(path: String, byteCount: Int)
    case badHexDigit(path: String, offset: Int)

    public var description: String {
        switch self {
        case let .unreadable(error): "signing key \(error)"
        case let .permissionsTooOpen(path, mode):
            "signing key \(path): mode \(String(mode, radix: 8)) lets group/others read it; chmod 600 \(path)"
        case let .badLength(path, count):
            "signing key \(path): \(count) bytes, expected 32 raw bytes or 64 hex digits"
        case let .badHexDigit(path, offset): "signing key \(path): byte \(offset) is not a hex digit"
        }
    }
}

/// Loads the MAVLink signing key at start-up: a file of exactly 32 raw bytes, or 64 hex digits (surrounding
/// whitespace allowed), readable by its owner only and not reached through a symbolic link.
public enum SigningKeyFile {
    /// A key file is tiny; anything larger is wrong and refused by size.
    static let maximumByteCount = 256

    public static func load(path: String) throws(SigningKeyFileError) -> SigningKey {
        let contents: [UInt8]
        do { contents = try ProtectedFile.readSecret(path: path, maximumByteCount: maximumByteCount) } catch {
            if case .permissionsTooOpen(_, let mode) = error { throw .permissionsTooOpen(path: path, mode: mode) }
            throw .unreadable(error)
        }
        return try parse(contents, path: path)
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
