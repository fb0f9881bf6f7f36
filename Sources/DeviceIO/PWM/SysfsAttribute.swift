import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A kept-open sysfs attribute file written with one pwrite per update, formatted on the stack.
///
/// On a real sysfs file the kernel parses each write on its own; on an ordinary file (tests use a temp tree laid
/// out like sysfs) a shorter number would leave the tail of the previous one, so there we truncate after writing.
struct SysfsAttribute {
    let path: String
    let fd: FileDescriptor
    let isSysfs: Bool

    init(path: String) throws(DeviceError) {
        self.path = path
        do {
            fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec])
        } catch {
            throw DeviceError.fromOpen(error as? Errno ?? .ioError, kind: .pwm, path: path)
        }
        isSysfs = path.hasPrefix("/sys/")
    }

    func close() { try? fd.close() }

    /// Writes `value` in decimal. Allocation free.
    func write(_ value: UInt64) throws(DeviceError) {
        let result: Int32 = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            // Digits right to left, then a newline as `echo` would send.
            var index = buffer.count - 1
            buffer[index] = 0x0A
            var remaining = value
            repeat {
                index -= 1
                buffer[index] = 0x30 &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0 && index > 0
            let length = buffer.count - index
            guard let base = buffer.baseAddress else { return EINVAL }
            let written = pwrite(fd.rawValue, base + index, length, 0)
            if written != length { return written < 0 ? errno : EIO }
            if !isSysfs && ftruncate(fd.rawValue, off_t(length)) != 0 { return errno }
            return 0
        }
        if result != 0 {
            throw DeviceError.systemCall(.pwm, path: path, call: "write", errno: Errno(rawValue: result))
        }
    }

    /// One-shot write for set-up (export, polarity): open, write, close.
    static func writeOnce(path: String, text: String) throws(DeviceError) {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec])
        } catch {
            throw DeviceError.fromOpen(error as? Errno ?? .ioError, kind: .pwm, path: path)
        }
        defer { try? fd.close() }
        do {
            _ = try fd.writeAll(Array(text.utf8))
        } catch {
            let failure = error as? Errno ?? .ioError
            if failure == .resourceBusy { throw DeviceError.busy(.pwm, path: path) }
            throw DeviceError.systemCall(.pwm, path: path, call: "write", errno: failure)
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether this process may open `path` for writing (with its effective ids, as open() checks).
    static func isWritable(_ path: String) -> Bool {
        faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0
    }

    /// The decimal number a sysfs attribute holds; nil when it cannot be read or is not a number. Set-up only.
    static func readNumber(path: String) -> UInt64? {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) else { return nil }
        defer { try? fd.close() }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard let count = try? bytes.withUnsafeMutableBytes({ try fd.read(into: $0) }), count > 0 else { return nil }
        let digits = bytes[0..<count].prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !digits.isEmpty, count == digits.count || bytes[digits.count] == 0x0A else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }
}
