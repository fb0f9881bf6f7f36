import Crypto
import SecretFiles

/// An operator's private key file: one line `<name> ed25519-private <32-byte seed, hex or base64>`, comments with
/// `#`. The file must grant no permission to group or others (mode 0600 or stricter) and is read without following
/// symbolic links.
public enum OperatorPrivateKeyFile {
    public static let algorithm = "ed25519-private"

    public static func load(path: String) throws(OperatorPrivateKeyFileError) -> OperatorSigningKey {
        try parse(try OperatorPrivateKeyFileError.read(path: path, access: .ownerOnly), path: path)
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(OperatorPrivateKeyFileError) -> OperatorSigningKey {
        func fail(_ line: Int?, _ problem: OperatorPrivateKeyFileError.Problem) -> OperatorPrivateKeyFileError {
            OperatorPrivateKeyFileError(path: path, line: line, problem: problem)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw fail(nil, .notUTF8) }
        var found: OperatorSigningKey?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.fields
            if fields.isEmpty { continue }
            guard found == nil else { throw fail(lineNumber, .moreThanOneKey) }
            guard fields.count == 3 else { throw fail(lineNumber, .wrongFieldCount(fields.count)) }
            guard OperatorName.isValid(fields[0]) else { throw fail(lineNumber, .invalidName(String(fields[0]))) }
            if fields[1] == AuthorisedKeyFile.algorithm { throw fail(lineNumber, .isPublicKey) }
            guard fields[1] == algorithm else { throw fail(lineNumber, .unsupportedAlgorithm(String(fields[1]))) }
            let seed: [UInt8]
            do { seed = try KeyEncoding.decode32(fields[2]) } catch {
                switch error {
                case .notHexOrBase64: throw fail(lineNumber, .keyNotHexOrBase64)
                case .wrongLength(let n): throw fail(lineNumber, .wrongKeyLength(n))
                }
            }
            do {
                found = OperatorSigningKey(
                    name: String(fields[0]), privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
            } catch { throw fail(lineNumber, .invalidKey) }
        }
        guard let found else { throw fail(nil, .noKey) }
        return found
    }

    /// The file text for `key`.
    public static func text(for key: OperatorSigningKey) -> String {
        "# Kestrel operator private key for '\(key.name)' (key id \(key.keyID)). Keep secret; mode 0600.\n"
            + "\(key.name) \(algorithm) \(Hex.encode(Array(key.privateKey.rawRepresentation)))\n"
    }
}

public enum OperatorPrivateKeyFileProblem: OperatorFileProblem {
    /// Missing, a symbolic link (secret files are opened with O_NOFOLLOW), not a regular file, or unreadable.
    case unreadable(String)
    case permissionsTooOpen(mode: UInt32)
    case notUTF8
    case wrongFieldCount(Int)
    case invalidName(String)
    case isPublicKey
    case unsupportedAlgorithm(String)
    case keyNotHexOrBase64
    case wrongKeyLength(Int)
    case invalidKey
    case moreThanOneKey
    case noKey

    public static var fileKind: String? { "operator private key file" }

    public init(readFailure: FileReadError) {
        if case .permissionsTooOpen(_, let mode) = readFailure { self = .permissionsTooOpen(mode: mode) } else {
            self = .unreadable(readFailure.reason)
        }
    }

    public func text(path: String) -> String {
        let what: String
        switch self {
        case .unreadable(let why): what = why
        case .permissionsTooOpen(let mode):
            what = "mode \(String(mode, radix: 8)) lets others read the key; run 'chmod 600 \(path)'"
        case .notUTF8: what = "not UTF-8 text"
        case .wrongFieldCount(let n): what = "expected 3 fields '<name> ed25519-private <key>', found \(n)"
        case .invalidName(let n): what = "operator name '\(n)' must be 1-32 letters, digits, '.', '_' or '-'"
        case .isPublicKey: what = "this is a public key line (ed25519); a private key file holds 'ed25519-private'"
        case .unsupportedAlgorithm(let a): what = "key type '\(a)' is not supported; use 'ed25519-private'"
        case .keyNotHexOrBase64: what = "private key is neither 64 hex digits nor base64"
        case .wrongKeyLength(let n): what = "private key is \(n) bytes; Ed25519 private keys are 32 bytes"
        case .invalidKey: what = "not a valid Ed25519 private key"
        case .moreThanOneKey: what = "more than one key; a private key file holds exactly one"
        case .noKey: what = "no private key in the file"
        }
        return what
    }
}
