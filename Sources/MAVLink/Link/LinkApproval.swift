/// A 16-byte approval nonce as two little-endian words: bytes 0…7 are `low`, 8…15 `high`, exactly like the
/// mission layer's `ApprovalNonce`, so the autopilot maps one to the other without touching bytes.
public struct LinkNonce: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    public static let zero = LinkNonce(low: 0, high: 0)

    public init(_ bytes: MAVArray<16, UInt8>) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for index in 0..<8 {
            low |= UInt64(bytes[index]) << UInt64(8 * index)
            high |= UInt64(bytes[8 + index]) << UInt64(8 * index)
        }
        self.init(low: low, high: high)
    }

    /// Wire order.
    public var mavArray: MAVArray<16, UInt8> {
        var bytes = MAVArray<16, UInt8>(repeating: 0)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: low >> UInt64(8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: high >> UInt64(8 * index))
        }
        return bytes
    }
}

/// TERMINAL_APPROVAL as received: every field of the signed message plus the key id and signature. The model
/// builds the mission layer's `Approval` from it (decision 1 approve, 2 wave-off; other values never get here).
public struct LinkApproval: Equatable, Sendable {
    public var vehicleID: UInt64
    public var nonce: LinkNonce
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    /// Above the WGS-84 ellipsoid.
    public var altitudeMm: Int32
    public var expiresUs: UInt64
    public var decision: KestrelTerminalDecision
    /// First 8 bytes of SHA-256 of the operator's public key, in hash order (byte 0 is the least significant).
    public var operatorKeyID: UInt64
    public var signature: MAVArray<64, UInt8>
    /// MAVLink system id of the sender, for logs.
    public var senderSystemID: UInt8

    public init(message: TerminalApproval, senderSystemID: UInt8) {
        vehicleID = message.vehicleId
        nonce = LinkNonce(message.nonce)
        latitudeE7 = message.lat
        longitudeE7 = message.lon
        altitudeMm = message.alt
        expiresUs = message.expiryUs
        decision = message.decision
        var keyID: UInt64 = 0
        for index in 0..<8 { keyID |= UInt64(message.operatorKeyId[index]) << UInt64(8 * index) }
        operatorKeyID = keyID
        signature = message.signature
        self.senderSystemID = senderSystemID
    }
}

/// The gate's pending request, as the model reports it (mirrors the mission layer's `ApprovalRequest`).
public struct LinkApprovalRequest: Equatable, Sendable {
    public var nonce: LinkNonce
    public var vehicleID: UInt64
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    public var altitudeMm: Int32
    public var issuedUs: UInt64
    public var expiresUs: UInt64
    public var sequence: UInt32

    public init(
        nonce: LinkNonce, vehicleID: UInt64, latitudeE7: Int32, longitudeE7: Int32, altitudeMm: Int32,
        issuedUs: UInt64, expiresUs: UInt64, sequence: UInt32
    ) {
        self.nonce = nonce
        self.vehicleID = vehicleID
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.altitudeMm = altitudeMm
        self.issuedUs = issuedUs
        self.expiresUs = expiresUs
        self.sequence = sequence
    }

    /// `gateTimeUs`: the gate's clock now, sent along so the operator judges the time left in the request's own
    /// time base.
    func message(gateTimeUs: UInt64) -> TerminalApprovalRequest {
        TerminalApprovalRequest(
            nonce: nonce.mavArray, vehicleId: vehicleID, lat: latitudeE7, lon: longitudeE7, alt: altitudeMm,
            issuedUs: issuedUs, expiryUs: expiresUs, sequence: sequence, gateTimeUs: gateTimeUs)
    }
}

/// The gate as TERMINAL_STATUS reports it. Raw values are the mission layer's (`GateStateKind`, `GateRejection`,
/// `GateFailureSet.bits`).
public struct LinkGateStatus: Equatable, Sendable {
    public var state: KestrelTerminalGateState = .idle
    public var lastRejection: KestrelTerminalRejection = .none
    public var activeFailures: KestrelTerminalFailure = []
    public var sequence: UInt32 = 0
    public var nonce: LinkNonce = .zero
    /// Refusals since start; changes with every refusal, even one that repeats `lastRejection`.
    public var rejectionCount: UInt32 = 0

    public init() {}

    public init(
        state: KestrelTerminalGateState, lastRejection: KestrelTerminalRejection,
        activeFailures: KestrelTerminalFailure, sequence: UInt32, nonce: LinkNonce
    ) {
        self.state = state
        self.lastRejection = lastRejection
        self.activeFailures = activeFailures
        self.sequence = sequence
        self.nonce = nonce
    }

    /// The clock is not part of the status (it would make every status a change); it is stamped on when sent.
    func message(gateTimeUs: UInt64) -> TerminalStatus {
        TerminalStatus(
            gateState: state, lastRejection: lastRejection, activeFailures: activeFailures, sequence: sequence,
            nonce: nonce.mavArray, gateTimeUs: gateTimeUs, rejectionCount: rejectionCount)
    }
}
