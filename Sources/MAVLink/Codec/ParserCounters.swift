/// What a `FrameParser` has seen. On a noisy link the rejection counters count candidate frames (a stray 0xFD in
/// garbage starts one), not necessarily frames a peer sent.
public struct ParserCounters: Sendable, Equatable {
    public var framesAccepted: UInt64 = 0
    /// Bytes skipped while looking for a start byte (including bytes of rejected candidates).
    public var bytesDiscarded: UInt64 = 0
    public var badCRC: UInt64 = 0
    /// Headers naming a message id this build does not know (its CRC cannot be checked).
    public var unknownMessage: UInt64 = 0
    /// MAVLink 2 headers with incompat_flags this implementation does not understand.
    public var unsupportedIncompatFlags: UInt64 = 0
    /// Signed frames dropped because the signature was wrong, replayed, too old, or too far ahead of the clock.
    public var signatureFailures: UInt64 = 0
    public var signatureBad: UInt64 = 0
    public var signatureReplayed: UInt64 = 0
    public var signatureTooOld: UInt64 = 0
    public var signatureTooFarAhead: UInt64 = 0

    public init() {}
}
