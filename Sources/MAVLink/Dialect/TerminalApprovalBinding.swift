import Crypto

/// The bytes an operator's Ed25519 key signs in TERMINAL_APPROVAL, as defined in the header of kestrel.xml, so the
/// vehicle's gate and the ground tool build exactly the same string:
///
///     "KESTREL-TERMINAL-APPROVAL-1" ‖ nonce(16) ‖ decision(1) ‖ target_system(1) ‖ target_component(1)
///     ‖ vehicle_id(4) ‖ request_seq(4) ‖ lat(4) ‖ lon(4) ‖ alt(4) ‖ expiry_time_usec(8)      (integers little-endian)
///
/// The last seven items come from the TERMINAL_APPROVAL_REQUEST that carried the nonce (the vehicle uses its own
/// record of it, never values echoed by the operator).
public enum TerminalApprovalBinding {
    public static let domain = Array("KESTREL-TERMINAL-APPROVAL-1".utf8)
    public static let length = 74

    /// The signed string, in a fixed-size value (no allocation).
    public static func signedBytes(
        request: TerminalApprovalRequest, decision: KestrelTerminalDecision, targetSystem: UInt8,
        targetComponent: UInt8
    ) -> MAVArray<74, UInt8> {
        var bytes = MAVArray<74, UInt8>(repeating: 0)
        var position = 0
        func append(_ byte: UInt8) {
            bytes[position] = byte
            position += 1
        }
        func append<T: FixedWidthInteger>(littleEndian value: T) {
            for index in 0..<(T.bitWidth / 8) { append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
        }
        for byte in domain { append(byte) }
        for index in 0..<16 { append(request.nonce[index]) }
        append(decision.rawValue)
        append(targetSystem)
        append(targetComponent)
        append(littleEndian: request.vehicleId)
        append(littleEndian: request.requestSeq)
        append(littleEndian: request.lat)
        append(littleEndian: request.lon)
        append(littleEndian: request.alt)
        append(littleEndian: request.expiryTimeUsec)
        return bytes
    }

    /// `operator_key_id` of an Ed25519 public key (32 raw bytes): the first 8 bytes of its SHA-256.
    public static func operatorKeyID(publicKey: some Collection<UInt8>) -> MAVArray<8, UInt8> {
        MAVArray(SHA256.hash(data: Array(publicKey)).prefix(8))
    }
}
