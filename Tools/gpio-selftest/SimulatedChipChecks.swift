import DeviceIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Checks on the lines of a gpio-sim bank (at least 8 lines): the kernel side of the GPIO layer. gpio-sim drives an
/// input line from `sim_gpioN/pull` and shows an output line's level in `sim_gpioN/value`.
struct SimulatedChipChecks {
    let chip: String
    let sysfs: String
    let checks: Checks
    let clock: SystemMonotonicClock

    func run() {
        inputLevelsAndEdges()
        manyEdgesAreAllDelivered()
        activeLowInput()
        outputs()
        requestErrors()
    }

    /// libgpiod 1.x on a kernel without the v1 ABI: the lines exist, but the error must name the missing interface
    /// (before, it said "line 0 does not exist on this chip").
    func runWithoutV1ABI() {
        let names = { (error: DeviceError?) -> Bool in
            guard case .invalidRequest(.gpio, "/dev/\(chip)", let detail)? = error else { return false }
            return detail.contains("CONFIG_GPIO_CDEV_V1") && detail.contains("libgpiod3")
        }
        let input = openError { () throws(DeviceError) in _ = try LinuxGPIOInput(chipName: chip, lineOffset: 0, clock: clock) }
        checks.check("libgpiod 1.x, kernel without the v1 ABI: input names the missing interface", names(input),
                     "\(String(describing: input))")
        let output = openError { () throws(DeviceError) in
            _ = try LinuxGPIOOutput(chipName: chip, lineOffset: 1, initialActive: false)
        }
        checks.check("libgpiod 1.x, kernel without the v1 ABI: output names the missing interface", names(output),
                     "\(String(describing: output))")
        requestErrors()
    }

    func inputLevelsAndEdges() {
        pull(0, up: false)
        guard let input = open({ () throws(DeviceError) in try LinuxGPIOInput(chipName: chip, lineOffset: 0, clock: clock) })
        else { return }
        defer { input.release() }
        checks.check("input line 0 pulled down reads inactive", (try? input.readLevel()) == false)
        var noEdgeAtStart = false
        do throws(DeviceError) { noEdgeAtStart = try input.nextEdge() == nil } catch {}
        checks.check("no edge queued at start", noEdgeAtStart)
        let before = clock.nowUs()
        pull(0, up: true)
        let rising = waitForEdge(input)
        let after = clock.nowUs()
        checks.check("pull-up gives a rising edge", rising?.isActive == true, "\(String(describing: rising))")
        // The kernel's timestamp is on CLOCK_MONOTONIC, the daemon's clock (v2: GPIOD_LINE_CLOCK_MONOTONIC).
        checks.check("the edge's timestamp is on CLOCK_MONOTONIC",
                     rising.map { $0.timestampUs >= before && $0.timestampUs <= after } ?? false,
                     "edge at \(rising?.timestampUs ?? 0) µs, pulled between \(before) and \(after) µs")
        checks.check("input reads active after the edge", (try? input.readLevel()) == true)
        pull(0, up: false)
        let falling = waitForEdge(input)
        checks.check("pull-down gives a falling edge", falling?.isActive == false, "\(String(describing: falling))")
        checks.check("two raw edges counted", input.rawEdgeCount == 2, "\(input.rawEdgeCount)")
        input.release()
        checks.check("a released input refuses reads",
                     openError { () throws(DeviceError) in _ = try input.readLevel() }
                         == .systemCall(.gpio, path: "/dev/\(chip) line 0", call: "read", errno: .badFileDescriptor))
    }

    /// More edges than one read takes (v2 reads up to 16 at a time into its buffer), all in order.
    func manyEdgesAreAllDelivered() {
        pull(4, up: false)
        guard let input = open({ () throws(DeviceError) in try LinuxGPIOInput(chipName: chip, lineOffset: 4, clock: clock) })
        else { return }
        defer { input.release() }
        // 2 ms apart so that gpio-sim's interrupt work sees each level (quicker pulls can merge into one edge).
        for _ in 0..<7 {
            pull(4, up: true)
            usleep(2_000)
            pull(4, up: false)
            usleep(2_000)
        }
        usleep(50_000)
        var edges: [EdgeEvent] = []
        while let edge = try? input.nextEdge() { edges.append(edge) }
        let alternating = edges.enumerated().allSatisfy { $0.element.isActive == ($0.offset % 2 == 0) }
        let ordered = zip(edges, edges.dropFirst()).allSatisfy { $0.timestampUs <= $1.timestampUs }
        checks.check("14 quick edges arrive in order, alternating", edges.count == 14 && alternating && ordered,
                     "\(edges.map { "\($0.timestampUs):\($0.isActive)" })")
    }

    func activeLowInput() {
        pull(2, up: false)
        let config = DigitalInputConfig(activeLow: true, bias: .asIs, consumer: "kestrel-selftest")
        guard let input = open({ () throws(DeviceError) in
            try LinuxGPIOInput(chipName: "/dev/\(chip)", lineOffset: 2, config: config, clock: clock)
        }) else { return }
        defer { input.release() }
        checks.check("active-low input pulled down reads active", (try? input.readLevel()) == true)
        pull(2, up: true)
        let edge = waitForEdge(input)
        checks.check("active-low input pulled up gives an inactive edge", edge?.isActive == false,
                     "\(String(describing: edge))")
    }

    func outputs() {
        if let output = open({ () throws(DeviceError) in
            try LinuxGPIOOutput(chipName: chip, lineOffset: 1, initialActive: true, consumer: "kestrel-oe")
        }) {
            checks.check("output requested active drives high from the request on", value(1) == "1", value(1))
            do throws(DeviceError) {
                try output.setActive(false)
                checks.check("setActive(false) drives low", value(1) == "0", value(1))
                try output.setActive(true)
                checks.check("setActive(true) drives high", value(1) == "1", value(1))
            } catch {
                checks.check("setActive", false, "\(error)")
            }
            let busy = openError { () throws(DeviceError) in
                _ = try LinuxGPIOOutput(chipName: chip, lineOffset: 1, initialActive: false)
            }
            checks.check("a line held by another request is busy", busy == .busy(.gpio, path: "/dev/\(chip) line 1"),
                         "\(String(describing: busy))")
            output.release()
            checks.check("a released output refuses setActive",
                         openError { () throws(DeviceError) in try output.setActive(false) }
                             == .systemCall(.gpio, path: "/dev/\(chip) line 1", call: "write", errno: .badFileDescriptor))
        }
        if let output = open({ () throws(DeviceError) in
            try LinuxGPIOOutput(chipName: chip, lineOffset: 3, activeLow: true, initialActive: true)
        }) {
            // An active-low output enable (PCA9685 /OE): active = electrically low.
            checks.check("active-low output requested active drives low", value(3) == "0", value(3))
            try? output.setActive(false)
            checks.check("active-low output inactive drives high", value(3) == "1", value(3))
            output.release()
        }
    }

    func requestErrors() {
        let missingLine = openError { () throws(DeviceError) in
            _ = try LinuxGPIOInput(chipName: chip, lineOffset: 99, clock: clock)
        }
        checks.check("line 99 does not exist", missingLine == .invalidRequest(
            .gpio, path: "/dev/\(chip)", detail: "line 99 does not exist on this chip (see gpioinfo)"),
                     "\(String(describing: missingLine))")
        let missingOutput = openError { () throws(DeviceError) in
            _ = try LinuxGPIOOutput(chipName: chip, lineOffset: 99, initialActive: false)
        }
        checks.check("output line 99 does not exist", missingOutput == .invalidRequest(
            .gpio, path: "/dev/\(chip)", detail: "line 99 does not exist on this chip (see gpioinfo)"),
                     "\(String(describing: missingOutput))")
    }

    // MARK: gpio-sim and helpers

    func pull(_ line: Int, up: Bool) {
        write(file: "\(sysfs)/sim_gpio\(line)/pull", up ? "pull-up" : "pull-down")
    }

    func value(_ line: Int) -> String {
        read(file: "\(sysfs)/sim_gpio\(line)/value")
    }

    func open<Line>(_ make: () throws(DeviceError) -> Line) -> Line? {
        do throws(DeviceError) {
            return try make()
        } catch {
            checks.check("open a line of \(chip)", false, "\(error)")
            return nil
        }
    }

    /// Polls like the real-time loop does (non-blocking), for up to a second.
    func waitForEdge(_ input: LinuxGPIOInput) -> EdgeEvent? {
        for _ in 0..<1000 {
            if let edge = try? input.nextEdge() { return edge }
            usleep(1_000)
        }
        return nil
    }

    func write(file: String, _ text: String) {
        let fd = Glibc.open(file, O_WRONLY)
        guard fd >= 0 else { checks.check("open \(file)", false, "errno \(errno)"); return }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    func read(file: String) -> String {
        let fd = Glibc.open(file, O_RDONLY)
        guard fd >= 0 else { return "(cannot open \(file))" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 63) }
        return String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingSuffix()
    }
}

extension String {
    func trimmingSuffix() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
