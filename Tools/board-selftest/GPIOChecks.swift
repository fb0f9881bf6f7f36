import DeviceIO
import Drivers

#if canImport(Glibc)
import Glibc
#endif

/// LinuxGPIOInput/LinuxGPIOOutput through libgpiod on a gpio-sim bank: the kernel's edge events and levels, driven
/// from the simulator's sysfs `pull` attributes; outputs read back from its `value` attributes. Lines: 0 the arm
/// switch, 1 an active-low input, 2 the PCA9685 /OE output (active-low), 3 the debounced input.
struct GPIOChecks {
    let checks: Checks
    let chip: String
    /// /sys/devices/platform/gpio-sim.N/gpiochipM: holds sim_gpioK/pull and sim_gpioK/value.
    let sysfsChip: String

    func run() {
        libraryLoaded()
        let clock = SystemMonotonicClock()
        for line in 0..<4 { pull(line, up: line == 1) }
        edges(clock)
        activeLow(clock)
        debounce(clock)
        output()
        missing(clock)
    }

    /// One binary for Debian 12 and 13: it must have loaded the libgpiod this system has (each guest has one).
    private func libraryLoaded() {
        let hasV2 = access("/usr/lib/x86_64-linux-gnu/libgpiod.so.3", F_OK) == 0
            || access("/usr/lib/aarch64-linux-gnu/libgpiod.so.3", F_OK) == 0
        let expected = hasV2 ? 2 : 1
        checks.check("libgpiod loaded at run time is the system's \(expected).x", GPIOLibrary.apiMajor == expected,
                     GPIOLibrary.description)
    }

    private func pull(_ line: Int, up: Bool) {
        if !writeAttribute("\(sysfsChip)/sim_gpio\(line)/pull", up ? "pull-up" : "pull-down") {
            checks.fail("gpio-sim: drive line \(line)", "cannot write \(sysfsChip)/sim_gpio\(line)/pull")
        }
        sleepMs(20)
    }

    /// Polls for the next debounced edge for up to `ms` milliseconds.
    private func awaitEdge(_ input: LinuxGPIOInput, ms: Int = 1000) -> EdgeEvent? {
        for _ in 0..<(ms / 10) {
            if let edge = try? input.nextEdge() { return edge }
            sleepMs(10)
        }
        return nil
    }

    private func edges(_ clock: SystemMonotonicClock) {
        do throws(DeviceError) {
            let input = try LinuxGPIOInput(chipName: chip, lineOffset: 0, clock: clock)
            checks.check("gpio: arm switch line reads low", try input.readLevel() == false, "high")
            let switchInput = try SafetySwitch(input: input)
            checks.check("gpio: safety switch starts SAFE", switchInput.position == .safe, "\(switchInput.position)")
            let before = clock.nowUs()
            pull(0, up: true)
            let rising = awaitEdge(input)
            checks.check("gpio: rising edge seen as active", rising?.isActive == true, "\(String(describing: rising))")
            checks.check("gpio: edge stamped by the kernel on CLOCK_MONOTONIC",
                         rising.map { $0.timestampUs >= before && $0.timestampUs <= clock.nowUs() } ?? false,
                         "edge at \(String(describing: rising?.timestampUs)), pulled at \(before)")
            checks.check("gpio: level reads high", try input.readLevel() == true, "low")
            pull(0, up: false)
            let falling = awaitEdge(input)
            checks.check("gpio: falling edge seen as inactive", falling?.isActive == false, "\(String(describing: falling))")
            // The switch over the same line: ARM, then a SAFE flick between two polls still disarms.
            var gate = ArmingSafetyGate()
            pull(0, up: true)
            sleepMs(50)
            try switchInput.apply(to: &gate)
            checks.check("gpio: safety switch ARM through the gate", gate.switchPosition == .arm, "\(gate.switchPosition)")
            pull(0, up: false)
            sleepMs(50)
            try switchInput.apply(to: &gate)
            checks.check("gpio: safety switch SAFE through the gate", gate.switchPosition == .safe, "\(gate.switchPosition)")
            // A second request of a held line: the kernel answers EBUSY.
            let busy = thrownError { () throws(DeviceError) in _ = try LinuxGPIOInput(chipName: chip, lineOffset: 0, clock: clock) }
            checks.check("gpio: a line already held -> busy",
                         busy == .busy(.gpio, path: "/dev/\(chip) line 0") || busy == .busy(.gpio, path: "\(chip) line 0"),
                         "\(String(describing: busy))")
            input.release()
        } catch {
            checks.fail("gpio: arm switch line 0", "\(error)")
        }
    }

    private func activeLow(_ clock: SystemMonotonicClock) {
        do throws(DeviceError) {
            let input = try LinuxGPIOInput(chipName: chip, lineOffset: 1, config: DigitalInputConfig(activeLow: true),
                                           clock: clock)
            checks.check("gpio: active-low line pulled up reads inactive", try input.readLevel() == false, "active")
            pull(1, up: false)
            let edge = awaitEdge(input)
            checks.check("gpio: active-low line pulled down -> active edge", edge?.isActive == true,
                         "\(String(describing: edge))")
            checks.check("gpio: active-low line pulled down reads active", try input.readLevel() == true, "inactive")
            input.release()
        } catch {
            checks.fail("gpio: active-low line 1", "\(error)")
        }
    }

    private func debounce(_ clock: SystemMonotonicClock) {
        do throws(DeviceError) {
            // 200 ms: the three writes below land well inside it even on a slow emulated guest.
            let input = try LinuxGPIOInput(chipName: chip, lineOffset: 3, config: DigitalInputConfig(debounceUs: 200_000),
                                           clock: clock)
            for up in [true, false, true] {
                _ = writeAttribute("\(sysfsChip)/sim_gpio3/pull", up ? "pull-up" : "pull-down")
            }
            let early = try input.nextEdge()
            checks.check("gpio: bouncing contact not accepted inside the debounce time", early == nil,
                         "\(String(describing: early))")
            sleepMs(400)
            let settled = try input.nextEdge()
            let extra = try input.nextEdge()
            checks.check("gpio: debounce turns 3 raw edges into 1 active edge",
                         settled?.isActive == true && extra == nil && input.rawEdgeCount >= 3,
                         "settled \(String(describing: settled)), then \(String(describing: extra)), raw \(input.rawEdgeCount)")
            input.release()
        } catch {
            checks.fail("gpio: debounced line 3", "\(error)")
        }
    }

    private func output() {
        let value = "\(sysfsChip)/sim_gpio2/value"
        do throws(DeviceError) {
            // The PCA9685's /OE: active-low, requested inactive (outputs disabled = line high) with no glitch.
            let enable = try LinuxGPIOOutput(chipName: chip, lineOffset: 2, activeLow: true, initialActive: false)
            checks.check("gpio: /OE requested inactive drives the line high", readAttribute(value) == "1",
                         "value \(String(describing: readAttribute(value)))")
            try enable.setActive(true)
            checks.check("gpio: /OE active drives the line low", readAttribute(value) == "0",
                         "value \(String(describing: readAttribute(value)))")
            try enable.setActive(false)
            checks.check("gpio: /OE inactive again drives the line high", readAttribute(value) == "1",
                         "value \(String(describing: readAttribute(value)))")
            let busy = thrownError { () throws(DeviceError) in
                _ = try LinuxGPIOOutput(chipName: chip, lineOffset: 2, initialActive: false)
            }
            checks.check("gpio: output line already held -> busy", busy.map { if case .busy = $0 { true } else { false } } ?? false,
                         "\(String(describing: busy))")
            enable.release()
        } catch {
            checks.fail("gpio: /OE output line 2", "\(error)")
        }
    }

    private func missing(_ clock: SystemMonotonicClock) {
        let absent = thrownError { () throws(DeviceError) in _ = try LinuxGPIOInput(chipName: "gpiochip99", lineOffset: 0, clock: clock) }
        checks.check("gpio: missing chip -> missing", absent == .missing(.gpio, path: "/dev/gpiochip99"),
                     "\(String(describing: absent))")
        let noLine = thrownError { () throws(DeviceError) in _ = try LinuxGPIOInput(chipName: chip, lineOffset: 64, clock: clock) }
        checks.check("gpio: line 64 of an 8-line chip -> invalidRequest",
                     noLine.map { if case .invalidRequest(.gpio, _, _) = $0 { true } else { false } } ?? false,
                     "\(String(describing: noLine))")
    }
}
