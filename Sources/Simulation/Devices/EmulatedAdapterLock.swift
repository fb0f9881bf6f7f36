#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the kernel's per-adapter lock is to two file descriptors on one `/dev/i2c-N`: it lets a second owner (the
/// daemon's supervisor thread, through its own handle) reach the emulated chips while the real-time thread uses
/// them, one transfer at a time. Lockstep SITL has one thread and never engages it, so it costs a branch there.
public final class EmulatedAdapterLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Set once, before a second thread gets a handle; read without the lock by the thread that set it or was
    /// started after it.
    public private(set) var isEngaged = false

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Called before the second owner's thread starts.
    public func engage() { isEngaged = true }

    @inline(__always) public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard isEngaged else { return try body() }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
