/// The operator's answer to a request. Encoded as one byte in the signed message.
public enum ApprovalDecision: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case approve = 1
    case waveOff = 2

    public var description: String { self == .approve ? "approve" : "wave-off" }
}

/// A 64-byte Ed25519 signature (R ‖ S, RFC 8032), stored inline.
public struct Ed25519Signature: Equatable, Sendable, CustomStringConvertible {
    public static let byteCount = 64
    public var storage: InlineArray<64, UInt8>

    public static let zero = Ed25519Signature(storage: InlineArray(repeating: 0))

    public init(storage: InlineArray<64, UInt8>) { self.storage = storage }

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var s = InlineArray<64, UInt8>(repeating: 0)
        for (i, b) in bytes.enumerated() { s[i] = b }
        storage = s
    }

    /// An all-zero signature is how an unsigned approval arrives over a fixed-size link field.
    public var isZero: Bool {
        var acc: UInt8 = 0
        for i in storage.indices { acc |= storage[i] }
        return acc == 0
    }

    public var bytes: [UInt8] { storage.indices.map { storage[$0] } }

    public static func == (a: Ed25519Signature, b: Ed25519Signature) -> Bool {
        var diff: UInt8 = 0
        for i in a.storage.indices { diff |= a.storage[i] ^ b.storage[i] }
        return diff == 0
    }

    public var description: String { Hex.encode(bytes) }
}

/// A signed operator decision about one request. It carries every field that is signed — vehicle, nonce, point,
/// expiry, decision — so the gate can say precisely why an authentic approval does not fit (other designation, other
/// vehicle …) instead of only "bad signature". `keyID` names the operator key that signed it.
///
/// A link that transmits only nonce, decision, key id and signature rebuilds the rest with
/// `init(answering:decision:keyID:signature:)` from the vehicle's current request; mismatches then show up as
/// `badSignature`.
public struct Approval: Equatable, Sendable {
    public var vehicleID: VehicleID
    public var nonce: ApprovalNonce
    public var point: DesignatedPoint
    public var expiresUs: UInt64
    public var decision: ApprovalDecision
    public var keyID: OperatorKeyID
    public var signature: Ed25519Signature

    public init(
        vehicleID: VehicleID, nonce: ApprovalNonce, point: DesignatedPoint, expiresUs: UInt64,
        decision: ApprovalDecision, keyID: OperatorKeyID, signature: Ed25519Signature
    ) {
        self.vehicleID = vehicleID
        self.nonce = nonce
        self.point = point
        self.expiresUs = expiresUs
        self.decision = decision
        self.keyID = keyID
        self.signature = signature
    }

    public init(
        answering request: ApprovalRequest, decision: ApprovalDecision, keyID: OperatorKeyID,
        signature: Ed25519Signature
    ) {
        self.init(
            vehicleID: request.vehicleID, nonce: request.nonce, point: request.point, expiresUs: request.expiresUs,
            decision: decision, keyID: keyID, signature: signature)
    }
}
