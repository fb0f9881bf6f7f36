import Board
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads an I2C adapter's SCL frequency from the device tree the kernel exposes: the adapter's `of_node`
/// `clock-frequency` (one big-endian u32, in Hz). On a Raspberry Pi that is what `dtparam=i2c_arm_baudrate=` sets
/// for bus 1; without the property the controller runs at its 100 kHz default, and so does the estimate.
public enum I2CBusClockReader {
    /// The files tried, in order, for bus `number` under `sysfsRoot` ("/sys" on a board).
    public static func candidatePaths(bus number: Int, sysfsRoot: String = "/sys") -> [String] {
        ["\(sysfsRoot)/class/i2c-adapter/i2c-\(number)/of_node/clock-frequency",
         "\(sysfsRoot)/bus/i2c/devices/i2c-\(number)/of_node/clock-frequency"]
    }

    public static func clock(bus number: Int, sysfsRoot: String = "/sys") -> I2CBusClock {
        for path in candidatePaths(bus: number, sysfsRoot: sysfsRoot) {
            guard let bytes = readSmallFile(path) else { continue }
            if let hz = I2CBusClock.parseDeviceTreeHz(bytes) { return I2CBusClock(hz: hz, source: .system(path: path)) }
            return .assumed("\(path) does not hold one big-endian u32")
        }
        return .assumed("no clock-frequency for i2c-\(number) in the device tree (the controller's default)")
    }

    /// Up to 16 bytes of a file, nil when it cannot be opened.
    static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { return nil }
        return Array(buffer.prefix(n))
    }
}
