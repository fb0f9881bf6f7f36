import SystemPackage

/// Which kind of hardware interface an error is about; it decides the fix we suggest to the operator.
public enum DeviceKind: String, Sendable, Hashable {
    case i2c = "I2C"
    case gpio = "GPIO"
    case pwm = "PWM"
    case serial = "serial"
}

/// A hardware access failure, named so that the person at the bench knows which device failed and what to do.
///
/// Transfer errors carry only integers (bus number, address, register) so that raising one on the real-time path
/// does not allocate; paths are strings the device object already holds.
public enum DeviceError: Error, Hashable, Sendable {
    /// The device node or sysfs entry does not exist (interface not enabled, wrong number, overlay missing).
    case missing(DeviceKind, path: String)
    /// The node exists but this user may not open it.
    case permissionDenied(DeviceKind, path: String)
    /// Another process or a kernel driver holds the device or line.
    case busy(DeviceKind, path: String)
    /// The node exists but is not the kind of device we expected (e.g. a regular file, or no SMBus support).
    case wrongDeviceType(DeviceKind, path: String, expected: String)
    /// Nothing acknowledged the address on that bus (EREMOTEIO / ENXIO).
    case noDeviceAtAddress(bus: Int, address: UInt8)
    /// A transfer to the address timed out (clock stretching, stuck bus).
    case timedOut(bus: Int, address: UInt8)
    /// Another bus master won arbitration (EAGAIN).
    case arbitrationLost(bus: Int, address: UInt8)
    /// Any other I2C transfer failure.
    case transferFailed(bus: Int, address: UInt8, register: UInt8, errno: Errno)
    /// A request the device cannot honour (block too long, unsupported baud rate, channel out of range).
    case invalidRequest(DeviceKind, path: String, detail: String)
    /// Any other system call failure.
    case systemCall(DeviceKind, path: String, call: String, errno: Errno)
}

extension DeviceError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .missing(kind, path):
            return "\(kind.rawValue) device \(path) does not exist: \(Self.enableHint(kind))"
        case let .permissionDenied(kind, path):
            return "permission denied opening \(kind.rawValue) device \(path): \(Self.permissionHint(kind))"
        case let .busy(kind, path):
            return "\(kind.rawValue) device \(path) is busy: \(Self.busyHint(kind))"
        case let .wrongDeviceType(kind, path, expected):
            return "\(path) is not \(expected); check the \(kind.rawValue) device path in the board file"
        case let .noDeviceAtAddress(bus, address):
            return "no device at address \(Self.hex(address)) on I2C bus \(bus): check wiring, power, pull-ups "
                + "and the address jumper (i2cdetect -y \(bus))"
        case let .timedOut(bus, address):
            return "I2C transfer to \(Self.hex(address)) on bus \(bus) timed out: a device may hold SDA/SCL low; "
                + "check wiring and bus speed"
        case let .arbitrationLost(bus, address):
            return "I2C transfer to \(Self.hex(address)) on bus \(bus) lost arbitration to another bus master: only one "
                + "master may drive the bus (check for a second controller or a stray device on SDA/SCL)"
        case let .transferFailed(bus, address, register, errno):
            return "I2C transfer to \(Self.hex(address)) register \(Self.hex(register)) on bus \(bus) failed: "
                + "\(errno)"
        case let .invalidRequest(kind, path, detail):
            return "invalid \(kind.rawValue) request on \(path): \(detail)"
        case let .systemCall(kind, path, call, errno):
            return "\(call) on \(kind.rawValue) device \(path) failed: \(errno)"
        }
    }

    static func hex(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return value < 0x10 ? "0x0" + digits : "0x" + digits
    }

    static func enableHint(_ kind: DeviceKind) -> String {
        switch kind {
        case .i2c:
            return "enable I2C (Raspberry Pi: dtparam=i2c_arm=on in /boot/firmware/config.txt or raspi-config), "
                + "load the i2c-dev module and check the bus number with i2cdetect -l"
        case .gpio:
            return "check the chip name and line offset with gpiodetect / gpioinfo"
        case .pwm:
            return "enable the PWM overlay (Raspberry Pi: dtoverlay=pwm-2chan in /boot/firmware/config.txt) "
                + "and check the chip number under /sys/class/pwm"
        case .serial:
            return "enable the UART (Raspberry Pi: enable_uart=1, serial console off in raspi-config) "
                + "and check the device name"
        }
    }

    static func permissionHint(_ kind: DeviceKind) -> String {
        switch kind {
        case .i2c: return "add the user to group i2c (usermod -aG i2c USER) or install Hardware/udev rules"
        case .gpio: return "add the user to group gpio (usermod -aG gpio USER) or install Hardware/udev rules"
        case .pwm: return "install the udev rule that gives group gpio write access to /sys/class/pwm"
        case .serial: return "add the user to group dialout (usermod -aG dialout USER)"
        }
    }

    static func busyHint(_ kind: DeviceKind) -> String {
        switch kind {
        case .i2c: return "a kernel driver has claimed that address; unbind it or remove its dtoverlay"
        case .gpio: return "another process or kernel driver holds the line (see gpioinfo for the consumer)"
        case .pwm: return "the channel is already exported and used by another process"
        case .serial: return "another process has the port open (serial console, gpsd, ModemManager?)"
        }
    }
}

extension DeviceError {
    /// Maps a failed open()/request errno to the error the operator can act on.
    public static func fromOpen(_ errno: Errno, kind: DeviceKind, path: String, call: String = "open") -> DeviceError {
        switch errno {
        case .noSuchFileOrDirectory, .noSuchAddressOrDevice, .operationNotSupportedByDevice:
            return .missing(kind, path: path)
        case .permissionDenied, .notPermitted, .readOnlyFileSystem:
            return .permissionDenied(kind, path: path)
        case .resourceBusy:
            return .busy(kind, path: path)
        default:
            return .systemCall(kind, path: path, call: call, errno: errno)
        }
    }
}
