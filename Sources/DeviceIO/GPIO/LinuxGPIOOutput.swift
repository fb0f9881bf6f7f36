import CGPIOLine
import SystemPackage

/// One GPIO line driven as an output through libgpiod (1.6 or 2.x, see `CGPIOLine`). The line is driven at
/// `initialActive` from the moment it is requested, so there is no glitch to the other level in between.
public final class LinuxGPIOOutput: DigitalOutput {
    public let chipName: String
    public let lineOffset: UInt32
    /// Inverts the logical level: an output-enable pin that enables when low (PCA9685 /OE) is active-low.
    public let activeLow: Bool
    /// The level last driven successfully.
    public private(set) var isActive: Bool

    private let line: OpaquePointer
    private let path: String
    private var released = false

    /// `chipName` as gpiodetect prints it (`gpiochip0`), or a path (`/dev/gpiochip0`); `consumer` is shown by gpioinfo.
    public init(chipName: String, lineOffset: UInt32, activeLow: Bool = false, initialActive: Bool,
                consumer: String = "kestrel") throws(DeviceError)
    {
        self.chipName = chipName
        self.lineOffset = lineOffset
        self.activeLow = activeLow
        self.isActive = initialActive
        self.path = GPIOLineRequest.linePath(chipName: chipName, lineOffset: lineOffset)
        self.line = try GPIOLineRequest.openOutput(
            chipName: chipName, lineOffset: lineOffset, activeLow: activeLow, initialActive: initialActive,
            consumer: consumer)
    }

    deinit { release() }

    public func setActive(_ active: Bool) throws(DeviceError) {
        guard !released else {
            throw DeviceError.systemCall(.gpio, path: path, call: "write", errno: .badFileDescriptor)
        }
        let status = kestrel_gpio_line_set_value(line, active)
        if status != 0 {
            throw DeviceError.systemCall(.gpio, path: path, call: GPIOLineRequest.setValueCall,
                                         errno: Errno(rawValue: status))
        }
        isActive = active
    }

    public func release() {
        guard !released else { return }
        released = true
        kestrel_gpio_line_release(line)
    }
}
