/// The link side of the terminal approval gate: sends the gate's pending TERMINAL_APPROVAL_REQUEST at once and then
/// every `resendIntervalUs` until the gate stops reporting it (answered, cancelled) or it expires; sends
/// TERMINAL_STATUS at once whenever the gate's status changes (the periodic copy is a telemetry stream); and turns a
/// received TERMINAL_APPROVAL into a `LinkApproval` for the model.
///
/// It judges nothing about the approval beyond addressing and the decision value: nonce, designation, expiry and
/// the Ed25519 signature are the gate's to check, against its own record of the request.
public struct ApprovalService {
    public struct Counters: Equatable, Sendable {
        public var requestsSent = 0
        public var statusChangesSent = 0
        public var approvalsForwarded = 0
        /// Decision not 1 (approve) or 2 (wave-off).
        public var approvalsMalformed = 0
        public var approvalsForOtherTargets = 0
        public init() {}
    }

    public let identity: LinkIdentity
    public var resendIntervalUs: UInt64
    public private(set) var counters = Counters()
    private var lastRequestNonce: LinkNonce?
    private var lastRequestSentUs: UInt64 = 0
    private var lastStatus: LinkGateStatus?

    public init(identity: LinkIdentity, resendIntervalUs: UInt64 = 1_000_000) {
        self.identity = identity
        self.resendIntervalUs = resendIntervalUs
    }

    public mutating func tick(snapshot: VehicleSnapshot, nowUs: UInt64, outbox: inout some MessageOutbox) {
        if let request = snapshot.pendingApprovalRequest, snapshot.gateClockUs < request.expiresUs {
            let isNew = request.nonce != lastRequestNonce
            if isNew || nowUs < lastRequestSentUs || nowUs - lastRequestSentUs >= resendIntervalUs {
                outbox.send(request.message(gateTimeUs: snapshot.gateClockUs), route: .all)
                counters.requestsSent += 1
                lastRequestNonce = request.nonce
                lastRequestSentUs = nowUs
            }
        } else {
            lastRequestNonce = nil
        }
        if snapshot.gate != lastStatus {
            if lastStatus != nil { counters.statusChangesSent += 1 }
            lastStatus = snapshot.gate
            outbox.send(snapshot.gate.message(gateTimeUs: snapshot.gateClockUs), route: .all)
        }
    }

    /// The approval to hand to the model, or nil when it is not for this vehicle or malformed (counted).
    public mutating func approval(from message: TerminalApproval, senderSystemID: UInt8) -> LinkApproval? {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            counters.approvalsForOtherTargets += 1
            return nil
        }
        guard message.decision == .approve || message.decision == .waveOff else {
            counters.approvalsMalformed += 1
            return nil
        }
        counters.approvalsForwarded += 1
        return LinkApproval(message: message, senderSystemID: senderSystemID)
    }
}
