import Crypto

/// A public key allowed to approve or wave off the terminal phase.
public struct AuthorisedOperatorKey: Sendable {
    public let name: String
    public let keyID: OperatorKeyID
    public let publicKey: Curve25519.Signing.PublicKey
    /// Why the key must not be trusted (small-order or non-canonical), or nil. The key file reader refuses such keys;
    /// a key built in code with one verifies nothing (`hasSigned` is false), so no path can trust it.
    public let weakness: Ed25519PublicKeyCheck.Weakness?

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.publicKey = publicKey
        let raw = Array(publicKey.rawRepresentation)
        keyID = OperatorKeyID(publicKeyBytes: raw)
        weakness = Ed25519PublicKeyCheck.weakness(of: raw)
    }

    /// Whether `approval`'s signature is a valid Ed25519 signature by this key over the bytes the approval claims.
    /// Always false for a small-order or non-canonical key, for which forged signatures verify.
    /// Allocation-free apart from what the Ed25519 implementation does internally.
    public func hasSigned(_ approval: Approval) -> Bool {
        guard weakness == nil else { return false }
        return SignedApprovalMessage.withBytes(of: approval) { message in
            withUnsafeBytes(of: approval.signature.storage) { signature in
                publicKey.isValidSignature(signature, for: message)
            }
        }
    }
}

/// The authorised operators, fixed after start-up. Lookup by key id is a linear scan of a few entries.
public struct OperatorKeyRing: Sendable {
    public static let maximumKeyCount = 32
    public let keys: [AuthorisedOperatorKey]

    /// Rejects duplicate names, duplicate key ids and more than `maximumKeyCount` keys.
    public init(keys: [AuthorisedOperatorKey]) throws(OperatorKeyRingError) {
        guard keys.count <= Self.maximumKeyCount else { throw .tooManyKeys(count: keys.count) }
        for (i, k) in keys.enumerated() {
            for earlier in keys[..<i] {
                if earlier.name == k.name { throw .duplicateName(k.name) }
                if earlier.keyID == k.keyID { throw .duplicateKey(keyID: k.keyID, names: (earlier.name, k.name)) }
            }
        }
        self.keys = keys
    }

    public func key(for id: OperatorKeyID) -> AuthorisedOperatorKey? {
        for k in keys where k.keyID == id { return k }
        return nil
    }

    /// The names of the entries whose key is a SITL test key (`OperatorSigningKey.testKey(named:)`), which anyone
    /// can derive: derived from any name in the ring or in `OperatorSigningKey.wellKnownTestNames`. Empty for a ring
    /// fit to fly. Costs one key derivation per candidate name (start-up only).
    public var sitlTestKeyHolders: [String] {
        var candidates = OperatorSigningKey.wellKnownTestNames
        for k in keys where !candidates.contains(k.name) { candidates.append(k.name) }
        let testKeyIDs = candidates.map { OperatorSigningKey.testKey(named: $0).keyID }
        return keys.filter { testKeyIDs.contains($0.keyID) }.map(\.name)
    }

    /// Whether any entry holds a SITL test key (see `sitlTestKeyHolders`): `kestrel fly` on a real board refuses
    /// such a ring.
    public var containsTestKeys: Bool { !sitlTestKeyHolders.isEmpty }
}

public enum OperatorKeyRingError: Error, Sendable, CustomStringConvertible {
    case tooManyKeys(count: Int)
    case duplicateName(String)
    case duplicateKey(keyID: OperatorKeyID, names: (String, String))

    public var description: String {
        switch self {
        case .tooManyKeys(let n): "\(n) authorised operator keys; at most \(OperatorKeyRing.maximumKeyCount) are allowed"
        case .duplicateName(let n): "operator name '\(n)' appears twice"
        case .duplicateKey(let id, let names): "operators '\(names.0)' and '\(names.1)' have the same key (id \(id))"
        }
    }
}

/// An operator's private signing key, as loaded from its 0600 key file.
public struct OperatorSigningKey: Sendable {
    public let name: String
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.privateKey = privateKey
    }

    /// A new random key (from swift-crypto's system random generator).
    public static func generate(name: String) -> OperatorSigningKey {
        OperatorSigningKey(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    public var authorisedKey: AuthorisedOperatorKey { AuthorisedOperatorKey(name: name, publicKey: privateKey.publicKey) }
    public var keyID: OperatorKeyID { authorisedKey.keyID }

    /// Signs `decision` about `request`.
    public func sign(_ request: ApprovalRequest, decision: ApprovalDecision) throws(ApprovalSigningError) -> Approval {
        var approval = Approval(answering: request, decision: decision, keyID: keyID, signature: .zero)
        let raw: [UInt8]
        do {
            raw = try SignedApprovalMessage.withBytes(of: approval) { message in
                Array(try privateKey.signature(for: message))
            }
        } catch {
            throw .signingFailed(String(describing: error))
        }
        guard let signature = Ed25519Signature(bytes: raw) else { throw .signingFailed("signature is \(raw.count) bytes") }
        approval.signature = signature
        return approval
    }
}

public enum ApprovalSigningError: Error, Equatable, Sendable, CustomStringConvertible {
    case signingFailed(String)

    public var description: String {
        switch self {
        case .signingFailed(let why): "Ed25519 signing failed: \(why)"
        }
    }
}
