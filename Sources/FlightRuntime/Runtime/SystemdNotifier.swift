#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The sd_notify protocol without libsystemd: datagrams such as "READY=1" or "WATCHDOG=1" to the Unix socket named
/// by $NOTIFY_SOCKET (a leading '@' means the abstract namespace). Without the variable every call is a no-op, so
/// the daemon runs the same under systemd, from a shell, or in tests.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.isEmpty ?? true) ? nil : path
    }

    /// $WATCHDOG_USEC as set by systemd for this process, or nil.
    public static func watchdogIntervalUs(environment: [String: String], pid: Int32 = getpid()) -> UInt64? {
        guard let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"].flatMap(Int32.init), owner != pid { return nil }
        return usec
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends `state` (e.g. "READY=1\nSTATUS=flying"). Returns 0, or the errno of the failure; never throws.
    @discardableResult
    public func notify(_ state: String) -> Int32 {
        guard let path = socketPath else { return 0 }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return ENAMETOOLONG }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
            }
        }
        return sent < 0 ? errno : 0
    }
}
