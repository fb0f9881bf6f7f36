#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Nonces from the kernel's cryptographic random generator: `getentropy` (the getrandom system call) and, if that is
/// unavailable, a read of /dev/urandom. No heap allocation; a failure yields nil instead of a weak nonce.
public struct SystemNonceSource: NonceSource, Sendable {
    public init() {}

    public mutating func nextNonce() -> ApprovalNonce? {
        var words: (UInt64, UInt64) = (0, 0)
        let filled = withUnsafeMutableBytes(of: &words) { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            if getentropy(base, raw.count) == 0 { return true }
            return Self.readURandom(into: raw)
        }
        guard filled else { return nil }
        let nonce = ApprovalNonce(low: UInt64(littleEndian: words.0), high: UInt64(littleEndian: words.1))
        return nonce == .zero ? nil : nonce
    }

    private static func readURandom(into raw: UnsafeMutableRawBufferPointer) -> Bool {
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { _ = close(fd) }
        var done = 0
        while done < raw.count {
            guard let base = raw.baseAddress else { return false }
            let n = read(fd, base + done, raw.count - done)
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
