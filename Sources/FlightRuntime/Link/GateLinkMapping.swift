import MAVLink
import Mission
import Vehicle

// One mapping between the mission layer's gate and the MAVLink approval dialect, for every `VehicleLinkModel` of
// the autopilot (SITL and flight). The dialect's enum raw values are the mission layer's (kestrel.xml says so), so
// the mapping copies numbers; the tests pin that correspondence.

extension LinkGateStatus {
    /// TERMINAL_STATUS of `gate`: its state, the reason of its latest refusal (`.none` before any), its active
    /// failures, and the current request (or, once it ended, the last one).
    public init(_ gate: GateReport) {
        self.init(
            state: KestrelTerminalGateState(rawValue: gate.state.rawValue),
            lastRejection: gate.lastRejection.map { KestrelTerminalRejection(rawValue: $0.rawValue) } ?? .none,
            activeFailures: KestrelTerminalFailure(rawValue: gate.activeFailures.bits),
            sequence: gate.request?.sequence ?? 0,
            nonce: gate.request.map { LinkNonce($0.nonce) } ?? .zero)
        rejectionCount = gate.rejectionCount
    }
}

extension LinkNonce {
    public init(_ nonce: ApprovalNonce) { self.init(low: nonce.low, high: nonce.high) }
}

extension LinkApprovalRequest {
    /// TERMINAL_APPROVAL_REQUEST fields of a gate request (times in the gate's clock, unchanged).
    public init(_ r: ApprovalRequest) {
        self.init(
            nonce: LinkNonce(r.nonce), vehicleID: r.vehicleID.rawValue, latitudeE7: r.point.latitudeE7,
            longitudeE7: r.point.longitudeE7, altitudeMm: r.point.altitudeMm, issuedUs: r.issuedUs,
            expiresUs: r.expiresUs, sequence: r.sequence)
    }
}

extension Approval {
    /// The gate's view of a TERMINAL_APPROVAL. Throws when the designated point is out of range (the only field
    /// the wire can carry that the mission layer cannot represent).
    public init(link approval: LinkApproval) throws(DesignationError) {
        let point = try DesignatedPoint(
            latitudeE7: approval.latitudeE7, longitudeE7: approval.longitudeE7, altitudeMm: approval.altitudeMm)
        var signature = InlineArray<64, UInt8>(repeating: 0)
        for index in 0..<64 { signature[index] = approval.signature[index] }
        self.init(
            vehicleID: VehicleID(approval.vehicleID),
            nonce: ApprovalNonce(low: approval.nonce.low, high: approval.nonce.high), point: point,
            expiresUs: approval.expiresUs, decision: approval.decision == .approve ? .approve : .waveOff,
            keyID: OperatorKeyID(rawValue: approval.operatorKeyID), signature: Ed25519Signature(storage: signature))
    }
}
