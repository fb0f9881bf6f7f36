import Crypto

/// The MAVLink 2 signature: first 6 bytes of SHA-256(key ‖ header ‖ payload ‖ CRC ‖ link id ‖ timestamp).
public enum FrameSignature {
    /// Writes the 13-byte signature block after the first `signedLength` bytes of `frame` (STX through CRC).
    /// The caller guarantees room for it.
    public static func append(
        to frame: UnsafeMutableRawBufferPointer, signedLength: Int, linkID: UInt8, timestamp: UInt64,
        key: SigningKey
    ) {
        frame[signedLength] = linkID
        for index in 0..<6 {
            frame[signedLength + 1 + index] = UInt8(truncatingIfNeeded: timestamp >> UInt64(8 * index))
        }
        let hashed = UnsafeRawBufferPointer(rebasing: frame[0..<(signedLength + 7)])
        digestPrefix(key: key, hashed) { prefix in
            for index in 0..<6 { frame[signedLength + 7 + index] = prefix[index] }
        }
    }

    /// True if the last 6 bytes of `frame` (a whole signed frame) are the signature of the bytes before them.
    /// Compares without an early exit.
    public static func isValid(frame: UnsafeRawBufferPointer, key: SigningKey) -> Bool {
        guard frame.count > FrameLayout.signatureLength else { return false }
        let hashedEnd = frame.count - 6
        return digestPrefix(key: key, UnsafeRawBufferPointer(rebasing: frame[0..<hashedEnd])) { prefix in
            var difference: UInt8 = 0
            for index in 0..<6 { difference |= prefix[index] ^ frame[hashedEnd + index] }
            return difference == 0
        }
    }

    private static func digestPrefix<R>(
        key: SigningKey, _ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        var hasher = SHA256()
        key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().withUnsafeBytes { body($0) }
    }
}
