import Crypto
import SecretFiles

/// The authorised-operator key file: one key per line, `<name> ed25519 <key>`, the key as 64 hex digits or base64
/// of its 32 raw bytes; `#` starts a comment. Example:
///
///     # Kestrel authorised terminal-phase operators
///     alice   ed25519  11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
///     bob     ed25519  3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c  # field laptop
///
/// An empty file is an error: a vehicle nobody can approve is almost certainly misconfigured. So is a file that group
/// or others can write (`load` checks the mode), because whoever can write it can authorise themselves. Keys anyone
/// could forge signatures for are refused line by line: small-order points and non-canonical encodings
/// (`Ed25519PublicKeyCheck`), and, when the caller flies a real vehicle (`refusingTestKeys`), the SITL test keys.
public enum AuthorisedKeyFile {
    public static let algorithm = "ed25519"

    /// - Parameter refusingTestKeys: refuse the deterministic SITL test keys (`OperatorSigningKey.testKey`), as a
    ///   vehicle that really flies must.
    public static func load(path: String, refusingTestKeys: Bool = false) throws(AuthorisedKeyFileError)
        -> OperatorKeyRing
    {
        try parse(try AuthorisedKeyFileError.read(path: path, access: .notWritableByOthers), path: path,
                  refusingTestKeys: refusingTestKeys)
    }

    public static func parse(_ bytes: [UInt8], path: String, refusingTestKeys: Bool = false)
        throws(AuthorisedKeyFileError) -> OperatorKeyRing
    {
        func fail(_ line: Int?, _ problem: AuthorisedKeyFileError.Problem) -> AuthorisedKeyFileError {
            AuthorisedKeyFileError(path: path, line: line, problem: problem)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw fail(nil, .notUTF8) }
        var keys: [AuthorisedOperatorKey] = []
        var lines: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.fields
            if fields.isEmpty { continue }
            guard fields.count == 3 else { throw fail(lineNumber, .wrongFieldCount(fields.count)) }
            let name = String(fields[0])
            guard OperatorName.isValid(name) else { throw fail(lineNumber, .invalidName(name)) }
            guard fields[1] == algorithm else { throw fail(lineNumber, .unsupportedAlgorithm(String(fields[1]))) }
            let raw: [UInt8]
            do { raw = try KeyEncoding.decode32(fields[2]) } catch {
                switch error {
                case .notHexOrBase64: throw fail(lineNumber, .keyNotHexOrBase64)
                case .wrongLength(let n): throw fail(lineNumber, .wrongKeyLength(n))
                }
            }
            let publicKey: Curve25519.Signing.PublicKey
            do { publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
                throw fail(lineNumber, .invalidKey)
            }
            let key = AuthorisedOperatorKey(name: name, publicKey: publicKey)
            if let weakness = key.weakness { throw fail(lineNumber, .weakKey(weakness)) }
            if refusingTestKeys, (try? OperatorKeyRing(keys: [key]))?.containsTestKeys == true {
                throw fail(lineNumber, .sitlTestKey(name))
            }
            if let first = lines[name] { throw fail(lineNumber, .duplicateName(name, firstLine: first)) }
            if let same = keys.first(where: { $0.keyID == key.keyID }), let first = lines[same.name] {
                throw fail(lineNumber, .duplicateKey(of: same.name, firstLine: first))
            }
            lines[name] = lineNumber
            keys.append(key)
            guard keys.count <= OperatorKeyRing.maximumKeyCount else { throw fail(lineNumber, .tooManyKeys) }
        }
        guard !keys.isEmpty else { throw fail(nil, .noKeys) }
        do { return try OperatorKeyRing(keys: keys) } catch { throw fail(nil, .keyRing(error.description)) }
    }

    /// The file line for `key`.
    public static func line(for key: AuthorisedOperatorKey) -> String {
        "\(key.name) \(algorithm) \(KeyEncoding.base64(Array(key.publicKey.rawRepresentation)))"
    }
}

public enum AuthorisedKeyFileProblem: OperatorFileProblem {
    case unreadable(String)
    case writableByOthers(mode: UInt32)
    case notUTF8
    case wrongFieldCount(Int)
    case invalidName(String)
    case unsupportedAlgorithm(String)
    case keyNotHexOrBase64
    case wrongKeyLength(Int)
    case invalidKey
    /// A small-order or non-canonical key: signatures for it can be forged without its private key.
    case weakKey(Ed25519PublicKeyCheck.Weakness)
    /// A deterministic SITL test key, which anyone can derive; refused where the vehicle really flies.
    case sitlTestKey(String)
    case duplicateName(String, firstLine: Int)
    case duplicateKey(of: String, firstLine: Int)
    case tooManyKeys
    case noKeys
    case keyRing(String)

    public static var fileKind: String? { "authorised key file" }

    public init(readFailure: FileReadError) {
        if case .writableByOthers(_, let mode) = readFailure { self = .writableByOthers(mode: mode) } else {
            self = .unreadable(readFailure.reason)
        }
    }

    public func text(path: String) -> String {
        let what: String
        switch self {
        case .unreadable(let why): what = why
        case .writableByOthers(let mode):
            what = "mode \(String(mode, radix: 8)) lets group or others add keys; run 'chmod go-w \(path)'"
        case .notUTF8: what = "not UTF-8 text"
        case .wrongFieldCount(let n): what = "expected 3 fields '<name> ed25519 <public key>', found \(n)"
        case .invalidName(let n): what = "operator name '\(n)' must be 1-32 letters, digits, '.', '_' or '-'"
        case .unsupportedAlgorithm(let a): what = "key type '\(a)' is not supported; use 'ed25519'"
        case .keyNotHexOrBase64: what = "public key is neither 64 hex digits nor base64"
        case .wrongKeyLength(let n): what = "public key is \(n) bytes; Ed25519 public keys are 32 bytes"
        case .invalidKey: what = "public key is not a valid Ed25519 key"
        case .weakKey(let weakness): what = "public key is unusable: \(weakness)"
        case .sitlTestKey(let n):
            what = "operator '\(n)' has a SITL test key, which anyone can derive; generate a real key with "
                + "'kestrel approve keygen'"
        case .duplicateName(let n, let first): what = "operator '\(n)' is already listed on line \(first)"
        case .duplicateKey(let n, let first): what = "same key as operator '\(n)' on line \(first)"
        case .tooManyKeys: what = "more than \(OperatorKeyRing.maximumKeyCount) keys"
        case .noKeys: what = "no authorised operator keys in the file"
        case .keyRing(let why): what = why
        }
        return what
    }
}
