import CGPIOLine
import SystemPackage

/// Opening a line through CGPIOLine (libgpiod 1.x or 2.x, whichever was loaded), with each failing step mapped to
/// the `DeviceError` the operator can act on. Shared by `LinuxGPIOInput` and `LinuxGPIOOutput`.
enum GPIOLineRequest {
    /// `gpiochip0` as gpiodetect prints it, or a path (`/dev/gpiochip0`, a udev symlink).
    static func chipPath(_ chipName: String) -> String {
        chipName.hasPrefix("/") ? chipName : "/dev/\(chipName)"
    }

    static func linePath(chipName: String, lineOffset: UInt32) -> String {
        "\(chipPath(chipName)) line \(lineOffset)"
    }

    static func openInput(chipName: String, lineOffset: UInt32, config: DigitalInputConfig) throws(DeviceError)
        -> OpaquePointer
    {
        let bias: kestrel_gpio_bias
        switch config.bias {
        case .asIs: bias = KESTREL_GPIO_BIAS_AS_IS
        case .disabled: bias = KESTREL_GPIO_BIAS_DISABLED
        case .pullUp: bias = KESTREL_GPIO_BIAS_PULL_UP
        case .pullDown: bias = KESTREL_GPIO_BIAS_PULL_DOWN
        }
        var failure = kestrel_gpio_open_failure()
        let path = chipPath(chipName)
        let line = path.withCString { path in
            config.consumer.withCString { consumer in
                kestrel_gpio_open_input(path, lineOffset, consumer, config.activeLow, bias, &failure)
            }
        }
        guard let line else { throw error(failure, chipName: chipName, lineOffset: lineOffset) }
        return line
    }

    static func openOutput(chipName: String, lineOffset: UInt32, activeLow: Bool, initialActive: Bool,
                           consumer: String) throws(DeviceError) -> OpaquePointer
    {
        var failure = kestrel_gpio_open_failure()
        let path = chipPath(chipName)
        let line = path.withCString { path in
            consumer.withCString { consumer in
                kestrel_gpio_open_output(path, lineOffset, consumer, activeLow, initialActive, &failure)
            }
        }
        guard let line else { throw error(failure, chipName: chipName, lineOffset: lineOffset) }
        return line
    }

    /// The error for a failed open: a missing chip, a line the chip does not have, a line someone else holds ...
    static func error(_ failure: kestrel_gpio_open_failure, chipName: String, lineOffset: UInt32) -> DeviceError {
        let path = chipPath(chipName)
        let errno = Errno(rawValue: failure.error_number)
        let call = failure.call.map { String(cString: $0) } ?? "libgpiod"
        switch failure.step {
        case KESTREL_GPIO_STEP_CHIP:
            return DeviceError.fromOpen(errno, kind: .gpio, path: path)
        case KESTREL_GPIO_STEP_NOT_A_CHIP:
            return DeviceError.wrongDeviceType(.gpio, path: path, expected: notAChipExpected)
        case KESTREL_GPIO_STEP_NO_SUCH_LINE:
            return DeviceError.invalidRequest(
                .gpio, path: path, detail: "line \(lineOffset) does not exist on this chip (see gpioinfo)")
        case KESTREL_GPIO_STEP_NO_V1_ABI:
            return DeviceError.invalidRequest(.gpio, path: path, detail: noV1ABIDetail)
        case KESTREL_GPIO_STEP_LINE:
            return DeviceError.fromOpen(errno, kind: .gpio, path: path, call: call)
        case KESTREL_GPIO_STEP_REQUEST:
            return DeviceError.fromOpen(
                errno, kind: .gpio, path: linePath(chipName: chipName, lineOffset: lineOffset), call: call)
        case KESTREL_GPIO_STEP_NO_LIBRARY:
            return DeviceError.invalidRequest(.gpio, path: path, detail: noLibraryDetail)
        default:
            return DeviceError.systemCall(.gpio, path: path, call: call, errno: errno)
        }
    }

    /// What a chip path must be, for `DeviceError.wrongDeviceType`.
    static let notAChipExpected = "a GPIO chip (a gpiochipN character device; gpiodetect lists them)"

    /// Why libgpiod 1.x cannot use the lines of a kernel without the v1 ABI, and what to install instead.
    static let noV1ABIDetail = "this kernel has no GPIO v1 character-device interface (CONFIG_GPIO_CDEV_V1), which "
        + "the loaded libgpiod 1.x needs: install libgpiod 2 (apt install libgpiod3); Kestrel loads it instead"

    /// No libgpiod at all: what was tried and what to install.
    static var noLibraryDetail: String {
        "no libgpiod 1.x or 2.x could be loaded (\(GPIOLibrary.loadError)): "
            + "install libgpiod3 (Debian 13) or libgpiod2 (Debian 12)"
    }

    /// The libgpiod calls the per-tick functions make, named in their errors (they differ between 1.x and 2.x).
    static let getValueCall = String(cString: kestrel_gpio_get_value_call())
    static let setValueCall = String(cString: kestrel_gpio_set_value_call())
    static let readEdgeCall = String(cString: kestrel_gpio_read_edge_call())
}
