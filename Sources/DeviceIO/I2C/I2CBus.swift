/// An I2C bus as the drivers see it: register-level SMBus-style transfers to 7-bit addresses.
///
/// Everything a driver needs is expressed as SMBus byte, word and I2C-block transfers so the same driver runs on
/// Linux i2c-dev, on the kernel's i2c-stub, and on register-level emulators in SITL. Reads land in a buffer the
/// caller owns: no allocation per transfer. Words are SMBus words: little-endian (low byte at `register`).
public protocol I2CBus: AnyObject {
    /// Bus number used in error messages (`/dev/i2c-N`); emulators choose their own.
    var busNumber: Int { get }

    func readByte(address: UInt8, register: UInt8) throws(DeviceError) -> UInt8
    func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(DeviceError)
    func readWord(address: UInt8, register: UInt8) throws(DeviceError) -> UInt16
    func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(DeviceError)
    /// I2C-block read of `buffer.count` (1...32) bytes starting at `register`.
    func readBlock(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError)
    /// I2C-block write of `bytes.count` (1...32) bytes starting at `register`.
    func writeBlock(address: UInt8, register: UInt8, bytes: UnsafeRawBufferPointer) throws(DeviceError)
    /// Plain I2C read without a register phase (for register-less sensors such as the MS4525DO).
    /// Not SMBus: the kernel's i2c-stub does not support it.
    func read(address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError)
}

/// The largest I2C-block transfer SMBus allows.
public let i2cBlockMaxBytes = 32

/// One chip on a bus: saves drivers from repeating the address and gives byte-order helpers.
public struct I2CDevice<Bus: I2CBus> {
    public let bus: Bus
    public let address: UInt8

    public init(bus: Bus, address: UInt8) {
        self.bus = bus
        self.address = address
    }

    @inlinable public func readByte(_ register: UInt8) throws(DeviceError) -> UInt8 {
        try bus.readByte(address: address, register: register)
    }

    @inlinable public func writeByte(_ register: UInt8, _ value: UInt8) throws(DeviceError) {
        try bus.writeByte(address: address, register: register, value: value)
    }

    @inlinable public func readWord(_ register: UInt8) throws(DeviceError) -> UInt16 {
        try bus.readWord(address: address, register: register)
    }

    @inlinable public func readBlock(_ register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        try bus.readBlock(address: address, register: register, into: buffer)
    }

    @inlinable public func writeBlock(_ register: UInt8, _ bytes: UnsafeRawBufferPointer) throws(DeviceError) {
        try bus.writeBlock(address: address, register: register, bytes: bytes)
    }

    @inlinable public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        try bus.read(address: address, into: buffer)
    }

    /// Read-modify-write of the bits selected by `mask`.
    @inlinable public func updateBits(_ register: UInt8, mask: UInt8, value: UInt8) throws(DeviceError) {
        let old = try readByte(register)
        try writeByte(register, (old & ~mask) | (value & mask))
    }
}
