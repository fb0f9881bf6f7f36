@testable import FlightRuntime
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SystemdNotifierTests {
    /// A receiving datagram socket standing in for systemd.
    private func listen(at path: String) -> Int32 {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return fd
    }

    private func receive(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    @Test func sendsReadyAndWatchdogToTheSocket() {
        let path = NSTemporaryDirectory() + "kestrel-notify-\(getpid()).sock"
        let fd = listen(at: path)
        defer { close(fd); unlink(path) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.notify("READY=1\nSTATUS=flying") == 0)
        #expect(receive(fd) == "READY=1\nSTATUS=flying")
        #expect(notifier.notify("WATCHDOG=1") == 0)
        #expect(receive(fd) == "WATCHDOG=1")
    }

    @Test func withoutSocketItIsANoOp() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isActive)
        #expect(notifier.notify("READY=1") == 0)
        // A socket that does not exist is reported, not fatal.
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"]).notify("READY=1") == ENOENT)
    }

    @Test func watchdogIntervalHonoursPid() {
        #expect(SystemdNotifier.watchdogIntervalUs(environment: ["WATCHDOG_USEC": "2000000"]) == 2_000_000)
        #expect(SystemdNotifier.watchdogIntervalUs(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"],
                                                   pid: 42) == nil)
        #expect(SystemdNotifier.watchdogIntervalUs(environment: ["WATCHDOG_USEC": "x"]) == nil)
    }
}
