import Testing
@testable import DeviceIO
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LinuxI2CBusTests {
    @Test func missingBusNamesTheNodeAndHowToEnableI2C() {
        #expect(throws: DeviceError.missing(.i2c, path: "/dev/i2c-99")) {
            _ = try LinuxI2CBus(busNumber: 99)
        }
    }

    @Test func aRegularFileIsRejectedAsNotAnAdapter() {
        let tree = TempTree()
        tree.write("i2c-1", "")
        let path = "\(tree.root)/i2c-1"
        #expect(throws: DeviceError.wrongDeviceType(.i2c, path: path, expected: "an I2C adapter (i2c-dev)")) {
            _ = try LinuxI2CBus(busNumber: 1, devicePath: path)
        }
    }

    /// Runs only where the kernel's i2c-stub is loaded (`modprobe i2c-stub chip_addr=0x68`); skipped otherwise.
    @Test(.enabled(if: I2CStub.busNumber != nil, "i2c-stub is not loaded (modprobe i2c-stub chip_addr=0x68)"))
    func roundTripsAgainstTheKernelI2CStub() throws {
        let busNumber = try #require(I2CStub.busNumber)
        let bus = try LinuxI2CBus(busNumber: busNumber)
        try bus.writeByte(address: 0x68, register: 0x10, value: 0xA5)
        #expect(try bus.readByte(address: 0x68, register: 0x10) == 0xA5)
        try bus.writeWord(address: 0x68, register: 0x20, value: 0xBEEF)
        #expect(try bus.readWord(address: 0x68, register: 0x20) == 0xBEEF)
        #expect(try bus.readByte(address: 0x68, register: 0x20) == 0xEF)  // SMBus words are little-endian
        let pattern: [UInt8] = (0..<14).map { UInt8($0 * 3 + 1) }
        try pattern.withUnsafeBytes { try bus.writeBlock(address: 0x68, register: 0x3B, bytes: $0) }
        var readBack = [UInt8](repeating: 0, count: 14)
        try readBack.withUnsafeMutableBytes { try bus.readBlock(address: 0x68, register: 0x3B, into: $0) }
        #expect(readBack == pattern)
        // Nothing answers at 0x69: a typed error after the bounded retries, counted.
        #expect(throws: DeviceError.noDeviceAtAddress(bus: busNumber, address: 0x69)) {
            _ = try bus.readByte(address: 0x69, register: 0x75)
        }
        #expect(bus.statistics.failedTransfers == 1)
        #expect(bus.statistics.retries == UInt64(bus.maxRetries))
    }
}

enum I2CStub {
    /// The bus number of the adapter named "SMBus stub driver", if one exists.
    static let busNumber: Int? = {
        for n in 0..<64 {
            guard let file = fopen("/sys/class/i2c-adapter/i2c-\(n)/name", "r") else { continue }
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 128)
            if fgets(&line, 128, file) != nil,
               String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                   .hasPrefix("SMBus stub driver")
            {
                return n
            }
        }
        return nil
    }()
}
