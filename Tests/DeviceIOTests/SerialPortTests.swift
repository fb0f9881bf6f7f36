import Testing
@testable import DeviceIO
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair stands in for a UART: the port under test opens the slave side.
final class PseudoTerminal {
    let master: Int32
    let slavePath: String

    // grantpt/unlockpt/ptsname are not exported by the Glibc module; these are their Linux ioctls
    // (_IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int), the same on x86-64 and arm64).
    static let unlockRequest: UInt = 0x4004_5431
    static let numberRequest: UInt = 0x8004_5430

    init?() {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK)
        guard master >= 0 else { return nil }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, Self.unlockRequest, &unlock) == 0, ioctl(master, Self.numberRequest, &number) == 0 else {
            close(master)
            return nil
        }
        slavePath = "/dev/pts/\(number)"
    }

    deinit { close(master) }
}

@Suite struct SerialPortTests {
    @Test func rawNonBlockingRoundTripThroughAPty() throws {
        let pty = try #require(PseudoTerminal())
        let port = try LinuxSerialPort(path: pty.slavePath, baudRate: 115200)
        var buffer = [UInt8](repeating: 0, count: 64)
        // Nothing sent yet: returns at once with 0.
        #expect(try buffer.withUnsafeMutableBytes { try port.read(into: $0) } == 0)

        // Raw mode: CR, LF, ^C and 0xFF arrive untouched.
        let sent: [UInt8] = [0x24, 0x0D, 0x0A, 0x03, 0xFF, 0x00, 0xB5, 0x62]
        #expect(sent.withUnsafeBytes { Glibc.write(pty.master, $0.baseAddress, $0.count) } == sent.count)
        var received: [UInt8] = []
        for _ in 0..<1000 where received.count < sent.count {
            let n = try buffer.withUnsafeMutableBytes { try port.read(into: $0) }
            received += buffer[0..<n]
            if n == 0 { usleep(1000) }
        }
        #expect(received == sent)

        let reply: [UInt8] = [0x0A, 0x11, 0x13, 0x7F]
        #expect(try reply.withUnsafeBytes { try port.write($0) } == reply.count)
        var echoed = [UInt8](repeating: 0, count: 16)
        var got = 0
        for _ in 0..<1000 where got < reply.count {
            let n = echoed.withUnsafeMutableBytes { Glibc.read(pty.master, $0.baseAddress! + got, 16 - got) }
            if n > 0 { got += n } else { usleep(1000) }
        }
        #expect(Array(echoed[0..<got]) == reply)
    }

    @Test func termiosIsRaw8N1() throws {
        let pty = try #require(PseudoTerminal())
        let port = try LinuxSerialPort(path: pty.slavePath, baudRate: 57600)
        let fd = open(pty.slavePath, O_RDWR | O_NOCTTY)
        defer { close(fd) }
        var settings = termios()
        #expect(tcgetattr(fd, &settings) == 0)
        #expect(settings.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(settings.c_cflag & tcflag_t(PARENB) == 0)
        #expect(settings.c_cflag & tcflag_t(CSTOPB) == 0)
        #expect(settings.c_lflag & tcflag_t(ICANON) == 0)
        #expect(settings.c_lflag & tcflag_t(ECHO) == 0)
        #expect(cfgetospeed(&settings) == speed_t(B57600))
        port.close()
    }

    @Test func errorsNameThePortAndTheFix() {
        #expect(throws: DeviceError.missing(.serial, path: "/dev/ttyKESTREL99")) {
            _ = try LinuxSerialPort(path: "/dev/ttyKESTREL99", baudRate: 115200)
        }
        let unsupported = #expect(throws: DeviceError.self) {
            _ = try LinuxSerialPort(path: "/dev/null", baudRate: 12345)
        }
        #expect(unsupported?.description.contains("12345") == true)
        #expect(throws: DeviceError.wrongDeviceType(.serial, path: "/dev/null", expected: "a serial port (tty)")) {
            _ = try LinuxSerialPort(path: "/dev/null", baudRate: 9600)
        }
    }
}

/// Issue 14: gpsd, ModemManager or a second daemon opening the GPS port would take bytes the flight software never
/// sees. The port is held exclusively; a second open is refused as busy, naming the port and the usual culprits.
@Suite struct ExclusiveSerialPortTests {
    @Test func secondOpenOfAHeldPortIsBusy() throws {
        let pty = try #require(PseudoTerminal())
        let first = try LinuxSerialPort(path: pty.slavePath, baudRate: 115200)
        let error = #expect(throws: DeviceError.busy(.serial, path: pty.slavePath)) {
            _ = try LinuxSerialPort(path: pty.slavePath, baudRate: 9600)
        }
        #expect(error?.description.contains("gpsd") == true)
        // The refused open changed nothing: the holder still reads at its speed.
        var settings = termios()
        let fd = open(pty.slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK)
        defer { close(fd) }
        #expect(tcgetattr(fd, &settings) == 0 && cfgetispeed(&settings) == speed_t(B115200))
        first.close()
        // Released: the next owner gets it.
        let second = try LinuxSerialPort(path: pty.slavePath, baudRate: 9600)
        second.close()
    }

    @Test func aPortAnotherProcessMadeExclusiveIsBusy() throws {
        let pty = try #require(PseudoTerminal())
        // Another program's TIOCEXCL (root ignores it in the kernel; the port checks for it).
        let other = open(pty.slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK)
        defer { close(other) }
        #expect(ioctl(other, UInt(TIOCEXCL)) == 0)
        #expect(throws: DeviceError.busy(.serial, path: pty.slavePath)) {
            _ = try LinuxSerialPort(path: pty.slavePath, baudRate: 9600)
        }
    }

    @Test func speedChangesOnTheHeldDescriptor() throws {
        let pty = try #require(PseudoTerminal())
        let port = try LinuxSerialPort(path: pty.slavePath, baudRate: 9600)
        try port.setBaudRate(230_400)
        #expect(port.baudRate == 230_400)
        var settings = termios()
        let fd = open(pty.slavePath, O_RDWR | O_NOCTTY | O_NONBLOCK)
        defer { close(fd) }
        #expect(tcgetattr(fd, &settings) == 0 && cfgetospeed(&settings) == speed_t(B230400))
        #expect(throws: DeviceError.self) { try port.setBaudRate(12_345) }
        #expect(port.baudRate == 230_400)
        port.close()
    }
}

@Suite struct ClockTests {
    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(startUs: 100)
        #expect(clock.nowUs() == 100)
        clock.sleep(durationUs: 2_500)
        #expect(clock.nowUs() == 2_600)
        clock.set(toUs: 50)  // never backwards
        #expect(clock.nowUs() == 2_600)
    }

    @Test func systemClockIsMonotonic() {
        let clock = SystemMonotonicClock()
        var previous = clock.nowUs()
        for _ in 0..<1000 {
            let now = clock.nowUs()
            #expect(now >= previous)
            previous = now
        }
        #expect(previous > 0)
    }
}
