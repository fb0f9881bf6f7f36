import CGPIOLine
import SystemPackage

/// One GPIO line through libgpiod (1.6 or 2.x, see `CGPIOLine`), requested for both-edge events so the kernel
/// timestamps every edge on CLOCK_MONOTONIC; optional debounce runs on those timestamps.
public final class LinuxGPIOInput: DigitalInput {
    public let chipName: String
    public let lineOffset: UInt32
    public let config: DigitalInputConfig
    /// Edges the kernel reported, before debouncing.
    public private(set) var rawEdgeCount: UInt64 = 0

    private let line: OpaquePointer
    private let clock: MonotonicClock
    private let path: String
    private var debouncer: EdgeDebouncer
    private var released = false

    /// `chipName` as gpiodetect prints it (`gpiochip0`), or a path (`/dev/gpiochip0`).
    public init(chipName: String, lineOffset: UInt32, config: DigitalInputConfig = DigitalInputConfig(),
                clock: MonotonicClock) throws(DeviceError)
    {
        self.chipName = chipName
        self.lineOffset = lineOffset
        self.config = config
        self.clock = clock
        self.path = GPIOLineRequest.linePath(chipName: chipName, lineOffset: lineOffset)
        // The line's event descriptor is non-blocking (set by CGPIOLine): nextEdge never waits.
        let line = try GPIOLineRequest.openInput(chipName: chipName, lineOffset: lineOffset, config: config)
        var level = false
        let status = kestrel_gpio_line_get_value(line, &level)
        if status != 0 {
            kestrel_gpio_line_release(line)
            throw DeviceError.systemCall(.gpio, path: GPIOLineRequest.chipPath(chipName),
                                         call: GPIOLineRequest.getValueCall, errno: Errno(rawValue: status))
        }
        self.line = line
        self.debouncer = EdgeDebouncer(debounceUs: config.debounceUs, initialLevel: level)
    }

    deinit { release() }

    public func release() {
        guard !released else { return }
        released = true
        kestrel_gpio_line_release(line)
    }

    public func readLevel() throws(DeviceError) -> Bool {
        guard !released else { throw DeviceError.systemCall(.gpio, path: path, call: "read", errno: .badFileDescriptor) }
        var level = false
        let status = kestrel_gpio_line_get_value(line, &level)
        if status != 0 {
            throw DeviceError.systemCall(.gpio, path: path, call: GPIOLineRequest.getValueCall,
                                         errno: Errno(rawValue: status))
        }
        return level
    }

    /// Drains kernel events without blocking and returns the next debounced edge, if any.
    public func nextEdge() throws(DeviceError) -> EdgeEvent? {
        guard !released else { throw DeviceError.systemCall(.gpio, path: path, call: "read", errno: .badFileDescriptor) }
        var edge = kestrel_gpio_edge()
        while true {
            let status = kestrel_gpio_line_read_edge(line, &edge)
            if status == Errno.resourceTemporarilyUnavailable.rawValue {
                return debouncer.settle(nowUs: clock.nowUs())
            }
            if status != 0 {
                throw DeviceError.systemCall(.gpio, path: path, call: GPIOLineRequest.readEdgeCall,
                                             errno: Errno(rawValue: status))
            }
            rawEdgeCount &+= 1
            let event = EdgeEvent(timestampUs: edge.timestamp_ns / 1_000, isActive: edge.rising)
            if let accepted = debouncer.ingest(event) {
                return accepted
            }
        }
    }
}
