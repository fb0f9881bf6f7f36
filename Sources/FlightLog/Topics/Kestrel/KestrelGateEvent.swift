/// `kestrel_gate_event`: one step of the terminal-phase approval gate, so a log shows who approved what and why
/// a request was refused.
public struct KestrelGateEvent: ULogTopic, Hashable {
    public static let topicName = "kestrel_gate_event"

    public enum Event: UInt8, Sendable {
        case request = 0, approval = 1, rejection = 2, waveOff = 3
    }

    public static let keyIdBytes = 8
    public static let noncePrefixBytes = 8

    public var timestampUs: UInt64 = 0
    public var event: UInt8 = Event.request.rawValue
    /// Why: the Mission layer's reason code (0 = none / accepted).
    public var reasonCode: UInt16 = 0
    /// Sequence number of the approval request this event belongs to.
    public var requestSequence: UInt32 = 0
    /// First bytes of the operator's public-key id (which key signed, or was expected).
    public var operatorKeyId = SIMD8<UInt8>()
    /// First bytes of the request nonce the approval is bound to.
    public var noncePrefix = SIMD8<UInt8>()
    /// The designated point the request is bound to.
    public var designationLatitudeDeg: Double = 0
    public var designationLongitudeDeg: Double = 0
    public var designationAltitudeM: Float = 0
    /// When the approval stops being valid (vehicle clock); 0 when not applicable.
    public var approvalExpiryUs: UInt64 = 0

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("event", event)
        v.scalar("reason", reasonCode)
        v.scalar("request_seq", requestSequence)
        v.array("operator_key_id", count: Self.keyIdBytes) { operatorKeyId[$0] }
        v.array("nonce_prefix", count: Self.noncePrefixBytes) { noncePrefix[$0] }
        v.scalar("designation_lat", designationLatitudeDeg)
        v.scalar("designation_lon", designationLongitudeDeg)
        v.scalar("designation_alt", designationAltitudeM)
        v.scalar("approval_expiry", approvalExpiryUs)
    }
}
