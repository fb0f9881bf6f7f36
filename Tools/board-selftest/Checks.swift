import DeviceIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The checks' outcome: one `PASS name` or `FAIL name: detail` line per check, and the counts at the end, which
/// Tools/vm's guest script collects (kept in a type: Swift 6 rejects top-level mutable state read from functions).
final class Checks {
    private(set) var passed = 0
    private(set) var failed = 0

    func check(_ name: String, _ ok: Bool, _ detail: @autoclosure () -> String = "") {
        print(ok ? "PASS \(name)" : "FAIL \(name): \(detail())")
        fflush(nil)
        if ok { passed += 1 } else { failed += 1 }
    }

    /// A check whose set-up failed: it counts as failed, never as skipped.
    func fail(_ name: String, _ detail: String) { check(name, false, detail) }

    func summary(_ group: String) {
        print("SUMMARY \(group) ran=\(passed + failed) passed=\(passed) failed=\(failed)")
        fflush(nil)
    }
}

/// The typed error a throwing call raised, or nil when it returned.
func thrownError<E: Error>(_ body: () throws(E) -> Void) -> E? {
    do throws(E) {
        try body()
        return nil
    } catch {
        return error
    }
}

/// Sleeps on CLOCK_MONOTONIC (the guest is slow under TCG: waits are generous, never asserted as timings).
func sleepMs(_ ms: Int) {
    var request = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Writes `text` to a sysfs attribute; false when it could not be written.
@discardableResult
func writeAttribute(_ path: String, _ text: String) -> Bool {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return text.withCString { write(fd, $0, strlen($0)) } == text.utf8.count
}

/// A sysfs attribute's first line, or nil.
func readAttribute(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let count = read(fd, &buffer, buffer.count)
    guard count >= 0 else { return nil }
    let text = String(decoding: buffer[0..<count], as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
}

/// A character device number (glibc's makedev is a macro Swift does not see), for majors < 4096, minors < 256.
func characterDevice(major: UInt32, minor: UInt32) -> dev_t {
    dev_t(major & 0xFFF) << 8 | dev_t(minor & 0xFF)
}

/// I2C-block transfers through an array, with the bus's typed error returned (not thrown) for the checks.
func writeBlock(_ bus: some AnyObject & I2CBus, _ address: UInt8, _ register: UInt8, _ bytes: [UInt8]) -> DeviceError? {
    bytes.withUnsafeBytes { raw in
        thrownError { () throws(DeviceError) in try bus.writeBlock(address: address, register: register, bytes: raw) }
    }
}

func readBlock(_ bus: some AnyObject & I2CBus, _ address: UInt8, _ register: UInt8, count: Int) -> ([UInt8], DeviceError?) {
    var bytes = [UInt8](repeating: 0, count: count)
    let error = bytes.withUnsafeMutableBytes { raw in
        thrownError { () throws(DeviceError) in try bus.readBlock(address: address, register: register, into: raw) }
    }
    return (bytes, error)
}
