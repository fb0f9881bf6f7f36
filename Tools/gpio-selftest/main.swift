// The GPIO layer's checks that need no GPIO chip, as a small program: Tools/check-gpiod2 builds it against
// libgpiod 2.x (only this program and DeviceIO, not the whole test suite) and runs it. The same cases are in
// Tests/DeviceIOTests/GPIOTests.swift, which `swift test` runs against the host's libgpiod.
//
// With `--sim CHIP SYSFS`, also the checks on real lines of a gpio-sim bank (edges, levels, outputs, errors), run by
// Tools/check-gpiod2 in a QEMU guest (SimulatedChipChecks.swift). With `--sim-without-v1 CHIP SYSFS` instead, a
// libgpiod 1.x on a kernel without the v1 GPIO ABI must say so.
//
//   gpio-selftest [--expect-api 1|2] [--sim | --sim-without-v1 gpiochipN /sys/devices/platform/gpio-sim.K/gpiochipN]
//
// Prints one line per check; exit status 1 if any failed, 2 on bad arguments.
import CGPIODABICheck
import DeviceIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The checks' outcome (kept in a type: Swift 6 rejects top-level mutable state read from functions).
final class Checks {
    var failures = 0

    func check(_ name: String, _ passed: Bool, _ detail: @autoclosure () -> String = "") {
        print("\(passed ? "ok  " : "FAIL") \(name)\(passed ? "" : ": " + detail())")
        if !passed { failures += 1 }
    }
}

func openError(_ open: () throws(DeviceError) -> Void) -> DeviceError? {
    do throws(DeviceError) {
        try open()
        return nil
    } catch {
        return error
    }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var expectedAPI: Int?
var simulated: (chip: String, sysfs: String, kernelHasV1ABI: Bool)?
while let option = arguments.first {
    if option == "--expect-api", arguments.count >= 2, let api = Int(arguments[1]) {
        expectedAPI = api
        arguments.removeFirst(2)
    } else if option == "--sim" || option == "--sim-without-v1", arguments.count >= 3 {
        simulated = (arguments[1], arguments[2], option == "--sim")
        arguments.removeFirst(3)
    } else {
        let usage = "usage: gpio-selftest [--expect-api 1|2] [--sim | --sim-without-v1 gpiochipN SYSFS_DIR_OF_THE_CHIP]\n"
        _ = usage.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
}

let checks = Checks()
print("GPIO layer on \(GPIOLibrary.description)")
if let expectedAPI {
    checks.check("loaded the libgpiod \(expectedAPI).x API", GPIOLibrary.apiMajor == expectedAPI,
                 "loaded \(GPIOLibrary.description)")
    // CGPIODABICheck compiled Kestrel's declarations of the library against the <gpiod.h> this build saw.
    checks.check("Kestrel's libgpiod \(expectedAPI).x declarations were checked against its <gpiod.h>",
                 Int(kestrel_gpiod_abi_checked_major()) == expectedAPI,
                 "checked against the \(kestrel_gpiod_abi_checked_major()).x header")
}
checks.check("the loaded library is the API's major version", GPIOLibrary.version.hasPrefix("\(GPIOLibrary.apiMajor)."),
             "v\(GPIOLibrary.apiMajor) API, library \(GPIOLibrary.version)")

let clock = SystemMonotonicClock()
for chip in ["gpiochip99", "/dev/gpiochip99"] {
    let input = openError { () throws(DeviceError) in _ = try LinuxGPIOInput(chipName: chip, lineOffset: 4, clock: clock) }
    checks.check("input on missing chip \(chip)", input == .missing(.gpio, path: "/dev/gpiochip99"),
                 "\(String(describing: input))")
    let output = openError { () throws(DeviceError) in
        _ = try LinuxGPIOOutput(chipName: chip, lineOffset: 4, activeLow: true, initialActive: false)
    }
    checks.check("output on missing chip \(chip)", output == .missing(.gpio, path: "/dev/gpiochip99"),
                 "\(String(describing: output))")
}
// Paths that exist but are not GPIO chips: libgpiod 1.6 and 2.x report them with different errnos.
let notAChip = "a GPIO chip (a gpiochipN character device; gpiodetect lists them)"
var template = Array("/tmp/kestrel-gpio-selftest-XXXXXX".utf8CString)
let regularFile = template.withUnsafeMutableBufferPointer { buffer -> String in
    let fd = mkstemp(buffer.baseAddress!)
    if fd >= 0 { close(fd) }
    return String(cString: buffer.baseAddress!)
}
for path in ["/dev/null", "/", regularFile] {
    let input = openError { () throws(DeviceError) in _ = try LinuxGPIOInput(chipName: path, lineOffset: 0, clock: clock) }
    checks.check("input on \(path), not a GPIO chip", input == .wrongDeviceType(.gpio, path: path, expected: notAChip),
                 "\(String(describing: input))")
    let output = openError { () throws(DeviceError) in
        _ = try LinuxGPIOOutput(chipName: path, lineOffset: 0, initialActive: false)
    }
    checks.check("output on \(path), not a GPIO chip", output == .wrongDeviceType(.gpio, path: path, expected: notAChip),
                 "\(String(describing: output))")
}

unlink(regularFile)

if let simulated {
    let sim = SimulatedChipChecks(chip: simulated.chip, sysfs: simulated.sysfs, checks: checks, clock: clock)
    if simulated.kernelHasV1ABI { sim.run() } else { sim.runWithoutV1ABI() }
}
exit(checks.failures == 0 ? 0 : 1)
