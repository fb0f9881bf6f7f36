/// Identifies one airframe in signed approvals. 64 bits so a fleet can use serial numbers rather than MAVLink
/// system ids, which are reused between vehicles.
public struct VehicleID: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// What the vehicle asks the operator to approve: enter the terminal phase against `point`, answered before
/// `expiresUs`, quoting `nonce`. Times are in the gate's time base (µs, the clock injected into `TerminalGate`).
public struct ApprovalRequest: Hashable, Sendable {
    public var nonce: ApprovalNonce
    public var vehicleID: VehicleID
    public var point: DesignatedPoint
    public var issuedUs: UInt64
    public var expiresUs: UInt64
    /// Counts requests issued by this gate since start; for operators and logs, not part of the signed bytes (the
    /// nonce already makes each request unique).
    public var sequence: UInt32

    public init(
        nonce: ApprovalNonce, vehicleID: VehicleID, point: DesignatedPoint, issuedUs: UInt64, expiresUs: UInt64,
        sequence: UInt32
    ) {
        self.nonce = nonce
        self.vehicleID = vehicleID
        self.point = point
        self.issuedUs = issuedUs
        self.expiresUs = expiresUs
        self.sequence = sequence
    }
}
