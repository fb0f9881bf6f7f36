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
        // The kernel's i2c-stub answers ENODEV for an address it does not emulate; EAGAIN is lost arbitration.
        #expect(map(ENODEV) == .noDeviceAtAddress(bus: 1, address: 0x76))
        #expect(map(EAGAIN) == .arbitrationLost(bus: 1, address: 0x76))
        #expect(map(EAGAIN).description.contains("arbitration"))
    }

    @Test func quickFailuresAreRetriedAndTimeoutsAreNot() {
        var policy = I2CFailurePolicy(maxRetries: 2, stallHoldoffUs: 200_000)
        for code in [EREMOTEIO, ENXIO, ENODEV, EAGAIN, EIO, EPROTO] {
            #expect(policy.after(Errno(rawValue: code), attempt: 0, nowUs: 1_000) == .retry)
            #expect(policy.after(Errno(rawValue: code), attempt: 2, nowUs: 1_000) == .fail)
        }
        #expect(policy.after(.permissionDenied, attempt: 0, nowUs: 1_000) == .fail)
        #expect(policy.after(.badFileDescriptor, attempt: 0, nowUs: 1_000) == .fail)
        #expect(!policy.isStalled(nowUs: 1_000))
        // A timeout costs the adapter's whole timeout: never retried, and the bus is held off for a moment.
        #expect(policy.after(.timedOut, attempt: 0, nowUs: 5_000_000) == .fail)
        #expect(policy.isStalled(nowUs: 5_000_000))
        #expect(policy.isStalled(nowUs: 5_199_999))
        #expect(!policy.isStalled(nowUs: 5_200_000))
    }
}
