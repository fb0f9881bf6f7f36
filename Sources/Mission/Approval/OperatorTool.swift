/// The library side of `kestrel approve`: key generation, key listing and signing a request file. The CLI wires
/// arguments and printing; everything that can be wrong with the files is a typed error from here.
public enum OperatorTool {
    public struct GeneratedKey: Sendable {
        public let name: String
        public let keyID: OperatorKeyID
        /// The line to add to the vehicle's authorised-operator key file.
        public let authorisedKeyLine: String
    }

    /// Creates a new key pair: the private key file (mode 0600, never overwriting) and a public key file holding the
    /// line for the authorised-operator key file (mode 0644).
    public static func generateKeyPair(
        name: String, privateKeyPath: String, publicKeyPath: String
    ) throws(OperatorToolError) -> GeneratedKey {
        guard OperatorName.isValid(name) else { throw .invalidName(name) }
        let key = OperatorSigningKey.generate(name: name)
        let line = AuthorisedKeyFile.line(for: key.authorisedKey)
        do {
            try PosixFile.createNew(privateKeyPath, contents: Array(OperatorPrivateKeyFile.text(for: key).utf8), mode: 0o600)
        } catch { throw .cannotWrite(path: privateKeyPath, error.description) }
        do {
            try PosixFile.createNew(publicKeyPath, contents: Array((line + "\n").utf8), mode: 0o644)
        } catch { throw .cannotWrite(path: publicKeyPath, error.description) }
        return GeneratedKey(name: name, keyID: key.keyID, authorisedKeyLine: line)
    }

    /// One line per authorised key: name, key id, public key.
    public static func listKeys(authorisedKeyFile path: String) throws(AuthorisedKeyFileError) -> [String] {
        try AuthorisedKeyFile.load(path: path).keys.map { "\($0.name)  \($0.keyID)  \(AuthorisedKeyFile.line(for: $0))" }
    }

    /// Signs `decision` for the request in `requestPath` with the key in `privateKeyPath`. An approval is refused
    /// for a request that has expired at `nowUs` (the request's time base); a wave-off is always signed, because a
    /// terminal phase can outlast its request.
    public static func sign(
        requestPath: String, privateKeyPath: String, decision: ApprovalDecision, nowUs: UInt64,
        expectedVehicle: VehicleID? = nil
    ) throws(OperatorToolError) -> Approval {
        let request: ApprovalRequest
        do { request = try RequestFile.load(path: requestPath) } catch { throw .requestFile(error) }
        if let expectedVehicle, expectedVehicle != request.vehicleID {
            throw .otherVehicle(requested: request.vehicleID, expected: expectedVehicle)
        }
        if decision == .approve, nowUs >= request.expiresUs {
            throw .requestExpired(expiresUs: request.expiresUs, nowUs: nowUs)
        }
        let key: OperatorSigningKey
        do { key = try OperatorPrivateKeyFile.load(path: privateKeyPath) } catch { throw .privateKeyFile(error) }
        do { return try key.sign(request, decision: decision) } catch { throw .signing(error) }
    }

    /// Writes `approval` as an approval file (never overwriting).
    public static func writeApproval(_ approval: Approval, to path: String) throws(OperatorToolError) {
        do { try PosixFile.createNew(path, contents: Array(ApprovalFile.text(for: approval).utf8), mode: 0o644) } catch {
            throw .cannotWrite(path: path, error.description)
        }
    }
}

public enum OperatorToolError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidName(String)
    case cannotWrite(path: String, String)
    case requestFile(ApprovalFileError)
    case privateKeyFile(OperatorPrivateKeyFileError)
    case otherVehicle(requested: VehicleID, expected: VehicleID)
    case requestExpired(expiresUs: UInt64, nowUs: UInt64)
    case signing(ApprovalSigningError)

    public var description: String {
        switch self {
        case .invalidName(let n): "operator name '\(n)' must be 1-32 letters, digits, '.', '_' or '-'"
        case .cannotWrite(let path, let why): "\(path): \(why)"
        case .requestFile(let e): e.description
        case .privateKeyFile(let e): e.description
        case .otherVehicle(let r, let e): "request is from vehicle \(r), expected vehicle \(e)"
        case .requestExpired(let exp, let now):
            "request expired \((Double(now) - Double(exp)) / 1e6) s ago (expires_us \(exp), now \(now)); ask the vehicle for a new one"
        case .signing(let e): e.description
        }
    }
}
