import CGPIOD
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One GPIO line through libgpiod 1.6 (v1 API), requested for both-edge events so the kernel timestamps every
/// edge; optional debounce runs on those timestamps.
public final class LinuxGPIOInput: DigitalInput {
    public let chipName: String
    public let lineOffset: UInt32
    public let config: DigitalInputConfig
    /// Edges the kernel reported, before debouncing.
    public private(set) var rawEdgeCount: UInt64 = 0

    private let chip: OpaquePointer
    private let line: OpaquePointer
    private let eventFD: Int32
    private let clock: MonotonicClock
    private var debouncer: EdgeDebouncer
    private var released = false

    private var path: String { "/dev/\(chipName) line \(lineOffset)" }

    /// `chipName` as gpiodetect prints it (`gpiochip0`), or a path (`/dev/gpiochip0`).
    public init(chipName: String, lineOffset: UInt32, config: DigitalInputConfig = DigitalInputConfig(),
                clock: MonotonicClock) throws(DeviceError)
    {
        self.chipName = chipName
        self.lineOffset = lineOffset
        self.config = config
        self.clock = clock
        let displayPath = chipName.hasPrefix("/") ? chipName : "/dev/\(chipName)"
        guard let chip = chipName.hasPrefix("/") ? gpiod_chip_open(chipName) : gpiod_chip_open_by_name(chipName)
        else {
            throw DeviceError.fromOpen(Errno(rawValue: errno), kind: .gpio, path: displayPath)
        }
        guard let line = gpiod_chip_get_line(chip, lineOffset) else {
            let failure = Errno(rawValue: errno)
            gpiod_chip_close(chip)
            if failure == .invalidArgument {
                throw DeviceError.invalidRequest(
                    .gpio, path: displayPath, detail: "line \(lineOffset) does not exist on this chip (see gpioinfo)")
            }
            throw DeviceError.fromOpen(failure, kind: .gpio, path: displayPath, call: "gpiod_chip_get_line")
        }
        var flags: Int32 = 0
        if config.activeLow { flags |= Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) }
        switch config.bias {
        case .asIs: break
        case .disabled: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
        case .pullUp: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
        case .pullDown: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
        }
        let status = config.consumer.withCString { consumer in
            var request = gpiod_line_request_config(
                consumer: consumer, request_type: Int32(GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES), flags: flags)
            return gpiod_line_request(line, &request, 0)
        }
        if status != 0 {
            let failure = Errno(rawValue: errno)
            gpiod_chip_close(chip)
            throw DeviceError.fromOpen(failure, kind: .gpio, path: "\(displayPath) line \(lineOffset)",
                                       call: "gpiod_line_request")
        }
        let fd = gpiod_line_event_get_fd(line)
        // The event fd must never block the real-time loop.
        if fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 {
            let failure = Errno(rawValue: errno)
            gpiod_line_release(line)
            gpiod_chip_close(chip)
            throw DeviceError.systemCall(.gpio, path: displayPath, call: "fcntl(O_NONBLOCK)", errno: failure)
        }
        let level = gpiod_line_get_value(line)
        if level < 0 {
            let failure = Errno(rawValue: errno)
            gpiod_line_release(line)
            gpiod_chip_close(chip)
            throw DeviceError.systemCall(.gpio, path: displayPath, call: "gpiod_line_get_value", errno: failure)
        }
        self.chip = chip
        self.line = line
        self.eventFD = fd
        self.debouncer = EdgeDebouncer(debounceUs: config.debounceUs, initialLevel: level == 1)
    }

    deinit { release() }

    public func release() {
        guard !released else { return }
        released = true
        gpiod_line_release(line)
        gpiod_chip_close(chip)
    }

    public func readLevel() throws(DeviceError) -> Bool {
        guard !released else { throw DeviceError.systemCall(.gpio, path: path, call: "read", errno: .badFileDescriptor) }
        let value = gpiod_line_get_value(line)
        if value < 0 {
            throw DeviceError.systemCall(.gpio, path: path, call: "gpiod_line_get_value", errno: Errno(rawValue: errno))
        }
        return value == 1
    }

    /// Drains kernel events without blocking and returns the next debounced edge, if any.
    public func nextEdge() throws(DeviceError) -> EdgeEvent? {
        guard !released else { throw DeviceError.systemCall(.gpio, path: path, call: "read", errno: .badFileDescriptor) }
        while true {
            var event = gpiod_line_event()
            if gpiod_line_event_read_fd(eventFD, &event) != 0 {
                let failure = Errno(rawValue: errno)
                if failure == .resourceTemporarilyUnavailable || failure == .wouldBlock {
                    return debouncer.settle(nowUs: clock.nowUs())
                }
                throw DeviceError.systemCall(.gpio, path: path, call: "gpiod_line_event_read", errno: failure)
            }
            rawEdgeCount &+= 1
            let timestampUs = UInt64(truncatingIfNeeded: event.ts.tv_sec) &* 1_000_000
                &+ UInt64(truncatingIfNeeded: event.ts.tv_nsec / 1_000)
            let active = event.event_type == Int32(GPIOD_LINE_EVENT_RISING_EDGE)
            if let accepted = debouncer.ingest(EdgeEvent(timestampUs: timestampUs, isActive: active)) {
                return accepted
            }
        }
    }
}
