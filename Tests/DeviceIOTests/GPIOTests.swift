import Testing
import CGPIODABICheck
@testable import DeviceIO

@Suite struct GPIOTests {
    @Test func missingChipNamesTheChipAndHowToFindIt() {
        let clock = ManualClock()
        #expect(throws: DeviceError.missing(.gpio, path: "/dev/gpiochip99")) {
            _ = try LinuxGPIOInput(chipName: "gpiochip99", lineOffset: 4, clock: clock)
        }
        #expect(DeviceError.missing(.gpio, path: "/dev/gpiochip99").description.contains("gpiodetect"))
    }

    // The chip-less cases below are also in Tools/gpio-selftest, which Tools/check-gpiod2 runs against libgpiod 2.x.

    @Test func missingChipGivenAsAPathIsNamedOnce() {
        let clock = ManualClock()
        #expect(throws: DeviceError.missing(.gpio, path: "/dev/gpiochip99")) {
            _ = try LinuxGPIOInput(chipName: "/dev/gpiochip99", lineOffset: 4, clock: clock)
        }
    }

    @Test(arguments: ["gpiochip99", "/dev/gpiochip99"])
    func outputOnAMissingChipNamesTheChip(chip: String) {
        #expect(throws: DeviceError.missing(.gpio, path: "/dev/gpiochip99")) {
            _ = try LinuxGPIOOutput(chipName: chip, lineOffset: 4, activeLow: true, initialActive: false)
        }
    }

    /// A path that exists but is not a GPIO chip (a wrong `gpio_chip` in the board file) is named as such, the same
    /// on libgpiod 1.6 and 2.x. Before, it was "open ... failed: Inappropriate ioctl for device" on 1.6 (and would
    /// have been "does not exist" for /dev/null on 2.x, which reports ENODEV).
    @Test func aPathThatIsNotAGPIOChipIsNamedAsSuch() {
        let clock = ManualClock()
        let tree = TempTree()
        tree.write("not-a-chip", "")
        tree.makeDirectory("directory")
        for path in ["/dev/null", "\(tree.root)/not-a-chip", "\(tree.root)/directory"] {
            #expect(throws: DeviceError.wrongDeviceType(.gpio, path: path, expected: GPIOLineRequest.notAChipExpected)) {
                _ = try LinuxGPIOInput(chipName: path, lineOffset: 0, clock: clock)
            }
            #expect(throws: DeviceError.wrongDeviceType(.gpio, path: path, expected: GPIOLineRequest.notAChipExpected)) {
                _ = try LinuxGPIOOutput(chipName: path, lineOffset: 0, initialActive: false)
            }
        }
        let message = DeviceError.wrongDeviceType(.gpio, path: "/dev/null", expected: GPIOLineRequest.notAChipExpected)
            .description
        #expect(message.contains("/dev/null is not a GPIO chip") && message.contains("gpiodetect"), "\(message)")
    }

    @Test func theLibgpiodLoadedAtRunTimeIsTheOneWhoseHeaderCheckedKestrelsDeclarations() {
        #expect(GPIOLibrary.apiMajor == 1 || GPIOLibrary.apiMajor == 2, "\(GPIOLibrary.description)")
        #expect(GPIOLibrary.version.hasPrefix("\(GPIOLibrary.apiMajor)."), "\(GPIOLibrary.description)")
        #expect(GPIOLibrary.fileName == "libgpiod.so.\(GPIOLibrary.apiMajor + 1)", "\(GPIOLibrary.description)")
        // libgpiod-dev's <gpiod.h> and its library are one version on a build machine: the declarations checked at
        // compile time are those of the API in use (Tools/check-gpiod2 does the same for 2.x).
        #expect(Int(kestrel_gpiod_abi_checked_major()) == GPIOLibrary.apiMajor, "\(GPIOLibrary.description)")
    }

    @Test func debouncerIgnoresContactBounce() {
        var debouncer = EdgeDebouncer(debounceUs: 5_000, initialLevel: false)
        // A switch closing at t = 1000 µs bounces three times within 2 ms, then stays closed.
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 1_000, isActive: true)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 1_400, isActive: false)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 1_900, isActive: true)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 2_500, isActive: false)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 3_000, isActive: true)) == nil)
        #expect(debouncer.settle(nowUs: 7_999) == nil)
        #expect(debouncer.stableLevel == false)
        // Accepted 5 ms after the last bounce, stamped with that edge's kernel time.
        #expect(debouncer.settle(nowUs: 8_000) == EdgeEvent(timestampUs: 3_000, isActive: true))
        #expect(debouncer.stableLevel == true)
        #expect(debouncer.settle(nowUs: 20_000) == nil)
    }

    @Test func debouncerDropsAGlitchShorterThanTheWindow() {
        var debouncer = EdgeDebouncer(debounceUs: 5_000, initialLevel: true)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 10_000, isActive: false)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 10_300, isActive: true)) == nil)
        #expect(debouncer.settle(nowUs: 100_000) == nil)
        #expect(debouncer.stableLevel == true)
    }

    @Test func debouncerAcceptsAHeldLevelWhenTheNextEdgeArrivesLate() {
        // Poll missed: both edges are read at once. The first level held 50 ms, so it was real.
        var debouncer = EdgeDebouncer(debounceUs: 5_000, initialLevel: false)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 0, isActive: true)) == nil)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 50_000, isActive: false))
            == EdgeEvent(timestampUs: 0, isActive: true))
        #expect(debouncer.settle(nowUs: 55_000) == EdgeEvent(timestampUs: 50_000, isActive: false))
    }

    @Test func zeroDebouncePassesEveryEdge() {
        var debouncer = EdgeDebouncer(debounceUs: 0, initialLevel: false)
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 7, isActive: true)) == EdgeEvent(timestampUs: 7, isActive: true))
        #expect(debouncer.ingest(EdgeEvent(timestampUs: 9, isActive: false))
            == EdgeEvent(timestampUs: 9, isActive: false))
    }
}
