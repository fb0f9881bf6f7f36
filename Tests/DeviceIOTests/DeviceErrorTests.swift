import SystemPackage
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import DeviceIO

@Suite struct DeviceErrorTests {
    @Test func openErrnoMapsToActionableErrors() {
        #expect(DeviceError.fromOpen(.noSuchFileOrDirectory, kind: .i2c, path: "/dev/i2c-1")
            == .missing(.i2c, path: "/dev/i2c-1"))
        #expect(DeviceError.fromOpen(.permissionDenied, kind: .i2c, path: "/dev/i2c-1")
            == .permissionDenied(.i2c, path: "/dev/i2c-1"))
        #expect(DeviceError.fromOpen(.notPermitted, kind: .gpio, path: "/dev/gpiochip0")
            == .permissionDenied(.gpio, path: "/dev/gpiochip0"))
        #expect(DeviceError.fromOpen(.resourceBusy, kind: .gpio, path: "/dev/gpiochip0")
            == .busy(.gpio, path: "/dev/gpiochip0"))
        #expect(DeviceError.fromOpen(.ioError, kind: .serial, path: "/dev/ttyS0")
            == .systemCall(.serial, path: "/dev/ttyS0", call: "open", errno: .ioError))
    }

    @Test func messagesNameTheDeviceAndTheFix() {
        let permission = DeviceError.permissionDenied(.i2c, path: "/dev/i2c-1").description
        #expect(permission.contains("/dev/i2c-1"))
        #expect(permission.contains("group i2c"))
        #expect(permission.contains("udev"))
        let missing = DeviceError.missing(.i2c, path: "/dev/i2c-1").description
        #expect(missing.contains("dtparam=i2c_arm=on"))
        #expect(DeviceError.noDeviceAtAddress(bus: 1, address: 0x68).description
            .hasPrefix("no device at address 0x68 on I2C bus 1"))
        #expect(DeviceError.noDeviceAtAddress(bus: 3, address: 0x0A).description.contains("0x0A"))
        #expect(DeviceError.permissionDenied(.serial, path: "/dev/ttyAMA0").description.contains("dialout"))
        #expect(DeviceError.busy(.gpio, path: "/dev/gpiochip0").description.contains("gpioinfo"))
        #expect(!DeviceError.timedOut(bus: 1, address: 0x77).description.contains("\n"))
    }

    @Test func i2cTransferErrnoMapping() {
        func map(_ code: Int32) -> DeviceError {
            LinuxI2CBus.mapTransferError(Errno(rawValue: code), bus: 1, path: "/dev/i2c-1", address: 0x76,
                                         register: 0xD0)
        }
        #expect(map(EREMOTEIO) == .noDeviceAtAddress(bus: 1, address: 0x76))
        #expect(map(ENXIO) == .noDeviceAtAddress(bus: 1, address: 0x76))
        #expect(map(ETIMEDOUT) == .timedOut(bus: 1, address: 0x76))
        #expect(map(EBUSY) == .busy(.i2c, path: "/dev/i2c-1"))
        #expect(map(EINVAL) == .transferFailed(bus: 1, address: 0x76, register: 0xD0, errno: .invalidArgument))
        #expect(LinuxI2CBus.isTransient(Errno(rawValue: EREMOTEIO)))
        #expect(LinuxI2CBus.isTransient(.timedOut))
        #expect(!LinuxI2CBus.isTransient(.permissionDenied))
        #expect(!LinuxI2CBus.isTransient(.badFileDescriptor))
    }
}
