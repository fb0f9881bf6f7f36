import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A UART through termios: raw 8N1, no flow control, no modem-control hang-ups, non-blocking.
public final class LinuxSerialPort: SerialPort {
    public let path: String
    public let baudRate: Int
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
            try? fd.close()
            if failure == .inappropriateIOCTLForDevice {
                throw DeviceError.wrongDeviceType(.serial, path: path, expected: "a serial port (tty)")
            }
            throw DeviceError.systemCall(.serial, path: path, call: "tcgetattr", errno: failure)
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
            try? fd.close()
            throw DeviceError.systemCall(.serial, path: path, call: "tcsetattr", errno: failure)
        }
        _ = tcflush(fd.rawValue, TCIOFLUSH)
    }

    deinit { close() }

    public func close() {
        guard !closed else { return }
        closed = true
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
