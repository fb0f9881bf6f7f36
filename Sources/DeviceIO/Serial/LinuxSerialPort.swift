import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A UART through termios: raw 8N1, no flow control, no modem-control hang-ups, non-blocking, held exclusively.
///
/// Exclusive: a second reader of a GPS port (gpsd, ModemManager probing it as a modem, a second daemon) takes bytes
/// the flight software never sees. So the port is `flock`ed (a second Kestrel, root or not, gets "busy"), refused
/// when another process already set TIOCEXCL on it, and then set TIOCEXCL itself (later non-root opens get EBUSY
/// from the kernel; root bypasses TIOCEXCL, which the flock and the TIOCGEXCL check cover for cooperating tools).
public final class LinuxSerialPort: SerialPort {
    public let path: String
    public private(set) var baudRate: Int
    private let fd: FileDescriptor
    private var closed = false

    public static let supportedBaudRates = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600]

    public init(path: String, baudRate: Int) throws(DeviceError) {
        self.path = path
        self.baudRate = baudRate
        guard let speed = Self.speedConstant(baudRate) else {
            throw DeviceError.invalidRequest(
                .serial, path: path,
                detail: "unsupported baud rate \(baudRate); use one of "
                    + Self.supportedBaudRates.map(String.init).joined(separator: ", "))
        }
        do {
            fd = try FileDescriptor.open(
                FilePath(path), .readWrite, options: [.closeOnExec, .nonBlocking, FileDescriptor.OpenOptions(rawValue: O_NOCTTY)])
        } catch {
            throw DeviceError.fromOpen(error as? Errno ?? .ioError, kind: .serial, path: path)
        }
        var settings = termios()
        if tcgetattr(fd.rawValue, &settings) != 0 {
            let failure = Errno(rawValue: errno)
            abandon()
            if failure == .inappropriateIOCTLForDevice {
                throw DeviceError.wrongDeviceType(.serial, path: path, expected: "a serial port (tty)")
            }
            throw DeviceError.systemCall(.serial, path: path, call: "tcgetattr", errno: failure)
        }
        // A tty: now make it ours alone before touching its settings.
        do throws(DeviceError) {
            try Self.takeExclusively(fd, path: path)
        } catch {
            abandon()
            throw error
        }
        cfmakeraw(&settings)
        // 8N1, receiver on, ignore modem lines (a GPS has no DCD), no hardware flow control.
        settings.c_cflag &= ~(tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CSIZE) | tcflag_t(CRTSCTS))
        settings.c_cflag |= tcflag_t(CS8 | CREAD | CLOCAL)
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        // VMIN = VTIME = 0: read returns immediately with whatever is there.
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        if cfsetispeed(&settings, speed) != 0 || cfsetospeed(&settings, speed) != 0
            || tcsetattr(fd.rawValue, TCSANOW, &settings) != 0
        {
            let failure = Errno(rawValue: errno)
            abandon()
            throw DeviceError.systemCall(.serial, path: path, call: "tcsetattr", errno: failure)
        }
        _ = tcflush(fd.rawValue, TCIOFLUSH)
    }

    deinit { close() }

    /// A failed init: the descriptor goes without touching the tty's state (the port may be someone else's), and
    /// `deinit`, which still runs for a fully initialised object, finds nothing left to close.
    private func abandon() {
        closed = true
        try? fd.close()
    }

    // TIOCGEXCL is _IOR('T', 0x40, int): the same number on x86-64 and arm64 (asm-generic ioctl layout).
    static let getExclusiveRequest: UInt = 0x8004_5440

    /// flock, then the TIOCEXCL state: held by someone else is `busy`.
    private static func takeExclusively(_ fd: FileDescriptor, path: String) throws(DeviceError) {
        if flock(fd.rawValue, LOCK_EX | LOCK_NB) != 0 {
            let failure = Errno(rawValue: errno)
            if failure == .wouldBlock || failure == .resourceTemporarilyUnavailable {
                throw DeviceError.busy(.serial, path: path)
            }
            throw DeviceError.systemCall(.serial, path: path, call: "flock", errno: failure)
        }
        var exclusive: Int32 = 0
        if ioctl(fd.rawValue, getExclusiveRequest, &exclusive) == 0, exclusive != 0 {
            throw DeviceError.busy(.serial, path: path)
        }
        if ioctl(fd.rawValue, UInt(TIOCEXCL)) != 0 {
            throw DeviceError.systemCall(.serial, path: path, call: "ioctl(TIOCEXCL)", errno: Errno(rawValue: errno))
        }
    }

    /// Changes the speed on the open descriptor: the port stays held (a close and re-open would let another process
    /// in between). tcdrain first, so the last command leaves at the speed the receiver still listens at.
    public func setBaudRate(_ newBaudRate: Int) throws(DeviceError) {
        guard let speed = Self.speedConstant(newBaudRate) else {
            throw DeviceError.invalidRequest(
                .serial, path: path,
                detail: "unsupported baud rate \(newBaudRate); use one of "
                    + Self.supportedBaudRates.map(String.init).joined(separator: ", "))
        }
        guard !closed else {
            throw DeviceError.invalidRequest(.serial, path: path, detail: "the port is closed")
        }
        _ = tcdrain(fd.rawValue)
        var settings = termios()
        if tcgetattr(fd.rawValue, &settings) != 0 || cfsetispeed(&settings, speed) != 0
            || cfsetospeed(&settings, speed) != 0 || tcsetattr(fd.rawValue, TCSANOW, &settings) != 0
        {
            throw DeviceError.systemCall(.serial, path: path, call: "tcsetattr", errno: Errno(rawValue: errno))
        }
        // Whatever arrived while the speeds differed is framing garbage.
        _ = tcflush(fd.rawValue, TCIFLUSH)
        baudRate = newBaudRate
    }

    public func close() {
        guard !closed else { return }
        closed = true
        // TIOCEXCL belongs to the tty, not to this descriptor: it would outlive the close while anyone else holds
        // the port open, and lock the next owner out.
        _ = ioctl(fd.rawValue, UInt(TIOCNXCL))
        try? fd.close()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd.rawValue, base, buffer.count)
            if n >= 0 { return n }
            let failure = Errno(rawValue: errno)
            if failure == .interrupted { continue }
            if failure == .resourceTemporarilyUnavailable || failure == .wouldBlock { return 0 }
            throw DeviceError.systemCall(.serial, path: path, call: "read", errno: failure)
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        while true {
            let n = Glibc.write(fd.rawValue, base, bytes.count)
            if n >= 0 { return n }
            let failure = Errno(rawValue: errno)
            if failure == .interrupted { continue }
            if failure == .resourceTemporarilyUnavailable || failure == .wouldBlock { return 0 }
            throw DeviceError.systemCall(.serial, path: path, call: "write", errno: failure)
        }
    }

    static func speedConstant(_ baudRate: Int) -> speed_t? {
        switch baudRate {
        case 9600: return speed_t(B9600)
        case 19200: return speed_t(B19200)
        case 38400: return speed_t(B38400)
        case 57600: return speed_t(B57600)
        case 115200: return speed_t(B115200)
        case 230400: return speed_t(B230400)
        case 460800: return speed_t(B460800)
        case 921600: return speed_t(B921600)
        default: return nil
        }
    }
}
