/// The exact bytes an operator signs, version 1. Fixed length, little-endian, no padding:
///
/// | offset | size | field                                                        |
/// |-------:|-----:|--------------------------------------------------------------|
/// |      0 |   28 | ASCII `KESTREL-TERMINAL-APPROVAL-V1` (domain and version tag) |
/// |     28 |    8 | vehicle id, u64                                              |
/// |     36 |   16 | nonce, as sent in the request                                |
/// |     52 |    4 | latitude, degrees × 10⁷, i32                                 |
/// |     56 |    4 | longitude, degrees × 10⁷, i32                                |
/// |     60 |    4 | altitude, mm above the WGS-84 ellipsoid, i32                 |
/// |     64 |    8 | expiry, µs in the vehicle's gate clock, u64                  |
/// |     72 |    1 | decision: 1 approve, 2 wave-off                              |
///
/// 73 bytes in total. The tag keeps a Kestrel approval key's signature from meaning anything in another protocol
/// (and vice versa); a future layout gets a new tag, never a reinterpretation of this one. Every field has a fixed
/// width, so no two different field tuples encode to the same bytes.
public enum SignedApprovalMessage {
    public static let domainTag: StaticString = "KESTREL-TERMINAL-APPROVAL-V1"
    public static let domainTagByteCount = 28
    public static let byteCount = 73

    /// Calls `body` with the message in a stack buffer (no heap allocation).
    public static func withBytes<R>(
        vehicleID: VehicleID, nonce: ApprovalNonce, point: DesignatedPoint, expiresUs: UInt64,
        decision: ApprovalDecision, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 8) { buffer in
            domainTag.withUTF8Buffer { tag in
                for i in 0..<domainTagByteCount { buffer[i] = tag[i] }
            }
            var offset = domainTagByteCount
            func put<T: FixedWidthInteger>(_ value: T) {
                buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
                offset += MemoryLayout<T>.size
            }
            put(vehicleID.rawValue)
            put(nonce.low)
            put(nonce.high)
            put(point.latitudeE7)
            put(point.longitudeE7)
            put(point.altitudeMm)
            put(expiresUs)
            put(decision.rawValue)
            return try body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// The message an approval claims to sign.
    public static func withBytes<R>(of approval: Approval, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withBytes(
            vehicleID: approval.vehicleID, nonce: approval.nonce, point: approval.point,
            expiresUs: approval.expiresUs, decision: approval.decision, body)
    }

    /// The message as an array (allocates; for tools and tests).
    public static func bytes(of approval: Approval) -> [UInt8] {
        withBytes(of: approval) { Array($0) }
    }
}
