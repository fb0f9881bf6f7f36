import CI2C
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `/dev/i2c-N` through libi2c's SMBus calls. SMBus only (plus plain read), so it also runs against i2c-stub.
///
/// Quick transient failures (NACK, arbitration loss, EIO) are retried a bounded number of times; a timeout is not,
/// and holds the bus off for a moment (`I2CFailurePolicy`); the adapter's timeout is set to 10 ms at open, so one
/// stuck transfer cannot stall the flight loop for the kernel's default second. Every attempt and failure is
/// counted. Nothing here aborts: every failure becomes a `DeviceError`.
public final class LinuxI2CBus: I2CBus {
    public let busNumber: Int
    public let path: String
    /// Extra attempts after a quick transient failure (0 = no retry). Bounded so a dead sensor cannot stall a tick.
    public var maxRetries: Int { policy.maxRetries }
    public private(set) var statistics = I2CBusStatistics()
    /// The adapter timeout set at open (`I2C_TIMEOUT`), ms; nil when the adapter refused it.
    public private(set) var adapterTimeoutMs: Int?
    private var policy: I2CFailurePolicy
    private let clock: any MonotonicClock

    private let fd: FileDescriptor
    private var selectedAddress: Int = -1
    private var closed = false

    /// Opens `/dev/i2c-<busNumber>`, or `devicePath` when given (tests, unusual layouts).
    public init(busNumber: Int, devicePath: String? = nil, maxRetries: Int = 2,
                clock: any MonotonicClock = SystemMonotonicClock()) throws(DeviceError) {
        self.busNumber = busNumber
        let path = devicePath ?? "/dev/i2c-\(busNumber)"
        self.path = path
        policy = I2CFailurePolicy(maxRetries: maxRetries)
        self.clock = clock
        do {
            fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.closeOnExec])
        } catch {
            throw DeviceError.fromOpen(error as? Errno ?? .ioError, kind: .i2c, path: path)
        }
        // I2C_FUNCS fails with ENOTTY on anything that is not an i2c-dev adapter (a typo'd path, a regular file).
        var functionality: UInt = 0
        if kestrel_i2c_get_functionality(fd.rawValue, &functionality) != 0 {
            let failure = Errno(rawValue: errno)
            try? fd.close()
            if failure == .inappropriateIOCTLForDevice {
                throw DeviceError.wrongDeviceType(.i2c, path: path, expected: "an I2C adapter (i2c-dev)")
            }
            throw DeviceError.systemCall(.i2c, path: path, call: "ioctl(I2C_FUNCS)", errno: failure)
        }
        let needed = UInt(I2C_FUNC_SMBUS_BYTE_DATA) | UInt(I2C_FUNC_SMBUS_WORD_DATA)
        if functionality & needed != needed {
            try? fd.close()
            throw DeviceError.wrongDeviceType(.i2c, path: path, expected: "an adapter with SMBus byte/word transfers")
        }
        // I2C_TIMEOUT counts in 10 ms; an adapter that ignores it keeps its own (the caller sees adapterTimeoutMs).
        if kestrel_i2c_set_timeout_10ms(fd.rawValue, 1) == 0 { adapterTimeoutMs = 10 }
    }

    deinit {
        if !closed { try? fd.close() }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        try? fd.close()
    }

    public func readByte(address: UInt8, register: UInt8) throws(DeviceError) -> UInt8 {
        let value = try transfer(address: address, register: register) { fd in
            i2c_smbus_read_byte_data(fd, register)
        }
        return UInt8(truncatingIfNeeded: value)
    }

    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(DeviceError) {
        _ = try transfer(address: address, register: register) { fd in
            i2c_smbus_write_byte_data(fd, register, value)
        }
    }

    public func readWord(address: UInt8, register: UInt8) throws(DeviceError) -> UInt16 {
        let value = try transfer(address: address, register: register) { fd in
            i2c_smbus_read_word_data(fd, register)
        }
        return UInt16(truncatingIfNeeded: value)
    }

    public func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(DeviceError) {
        _ = try transfer(address: address, register: register) { fd in
            i2c_smbus_write_word_data(fd, register, value)
        }
    }

    public func readBlock(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer)
        throws(DeviceError)
    {
        try checkBlockLength(buffer.count)
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let length = UInt8(buffer.count)
        let count = try transfer(address: address, register: register) { fd in
            i2c_smbus_read_i2c_block_data(fd, register, length, base)
        }
        if Int(count) != buffer.count {
            statistics.failedTransfers &+= 1
            throw DeviceError.transferFailed(bus: busNumber, address: address, register: register, errno: .ioError)
        }
    }

    public func writeBlock(address: UInt8, register: UInt8, bytes: UnsafeRawBufferPointer) throws(DeviceError) {
        try checkBlockLength(bytes.count)
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let length = UInt8(bytes.count)
        _ = try transfer(address: address, register: register) { fd in
            i2c_smbus_write_i2c_block_data(fd, register, length, base)
        }
    }

    public func read(address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        try checkBlockLength(buffer.count)
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        let result = try transfer(address: address, register: 0) { fd in
            let n = Glibc.read(fd, base, count)
            // Same convention as libi2c: negative errno on failure.
            return n < 0 ? -errno : Int32(truncatingIfNeeded: n)
        }
        if Int(result) != count {
            statistics.failedTransfers &+= 1
            throw DeviceError.transferFailed(bus: busNumber, address: address, register: 0, errno: .ioError)
        }
    }

    private func checkBlockLength(_ count: Int) throws(DeviceError) {
        if count < 1 || count > i2cBlockMaxBytes {
            throw DeviceError.invalidRequest(.i2c, path: path, detail: "block length must be 1...32 bytes")
        }
    }

    /// Selects the slave address (only when it changes) and runs `operation` with bounded retries.
    /// `operation` returns libi2c's convention: a non-negative result, or a negative errno.
    private func transfer(address: UInt8, register: UInt8, _ operation: (Int32) -> Int32) throws(DeviceError)
        -> Int32
    {
        if closed {
            throw DeviceError.systemCall(.i2c, path: path, call: "transfer", errno: .badFileDescriptor)
        }
        if address > 0x7F {
            throw DeviceError.invalidRequest(.i2c, path: path, detail: "address must be 7-bit (0x00...0x7F)")
        }
        if selectedAddress != Int(address) {
            if kestrel_i2c_set_slave_address(fd.rawValue, UInt16(address)) != 0 {
                let failure = Errno(rawValue: errno)
                if failure == .resourceBusy { throw DeviceError.busy(.i2c, path: path) }
                throw DeviceError.systemCall(.i2c, path: path, call: "ioctl(I2C_SLAVE)", errno: failure)
            }
            selectedAddress = Int(address)
        }
        if policy.isStalled(nowUs: clock.nowUs()) {
            statistics.failedTransfers &+= 1
            statistics.skippedWhileStalled &+= 1
            throw DeviceError.timedOut(bus: busNumber, address: address)
        }
        var attempt = 0
        while true {
            statistics.attempts &+= 1
            let result = operation(fd.rawValue)
            if result >= 0 { return result }
            statistics.failedAttempts &+= 1
            let failure = Errno(rawValue: -result)
            if policy.after(failure, attempt: attempt, nowUs: clock.nowUs()) == .retry {
                attempt += 1
                statistics.retries &+= 1
                continue
            }
            statistics.failedTransfers &+= 1
            throw mapTransferError(failure, address: address, register: register)
        }
    }

    private func mapTransferError(_ failure: Errno, address: UInt8, register: UInt8) -> DeviceError {
        Self.mapTransferError(failure, bus: busNumber, path: path, address: address, register: register)
    }

    static func mapTransferError(_ failure: Errno, bus: Int, path: String, address: UInt8, register: UInt8)
        -> DeviceError
    {
        switch failure.rawValue {
        case EREMOTEIO, ENXIO, ENODEV:
            // ENODEV: i2c-stub's answer for an address it does not emulate.
            return .noDeviceAtAddress(bus: bus, address: address)
        case EAGAIN:
            return .arbitrationLost(bus: bus, address: address)
        case ETIMEDOUT:
            return .timedOut(bus: bus, address: address)
        case EBUSY:
            return .busy(.i2c, path: path)
        case EOPNOTSUPP:
            return .wrongDeviceType(.i2c, path: path, expected: "an adapter supporting this SMBus transfer")
        default:
            return .transferFailed(bus: bus, address: address, register: register, errno: failure)
        }
    }
}
