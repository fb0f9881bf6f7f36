#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLinuxRT

/// Starts a named POSIX thread running `body` and joins it later. Threads here are few and long-lived (the
/// real-time loop, telemetry, logging, supervision), so a plain pthread per role is all that is needed.
public final class LaunchedThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    private let name: String
    public private(set) var started = false

    public init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    /// Returns 0 or the pthread_create error.
    @discardableResult
    public func start() -> Int32 {
        let unmanaged = Unmanaged.passRetained(self)
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let me = Unmanaged<LaunchedThread>.fromOpaque(raw).takeRetainedValue()
            _ = me.name.withCString { kestrel_set_thread_name($0) }
            me.body()
            return nil
        }, unmanaged.toOpaque())
        if rc != 0 { unmanaged.release() } else { started = true }
        return rc
    }

    public func join() {
        guard started else { return }
        pthread_join(thread, nil)
        started = false
    }
}
