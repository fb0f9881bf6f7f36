import DeviceIO

/// One transfer as the bus saw it, for byte-exact assertions on what a driver sends.
enum Transfer: Equatable {
    case readByte(address: UInt8, register: UInt8)
    case writeByte(address: UInt8, register: UInt8, value: UInt8)
    case readWord(address: UInt8, register: UInt8)
    case writeWord(address: UInt8, register: UInt8, value: UInt16)
    case readBlock(address: UInt8, register: UInt8, count: Int)
    case writeBlock(address: UInt8, register: UInt8, bytes: [UInt8])
    case read(address: UInt8, count: Int)
}

/// A 256-register chip. Subclasses add the chip's side effects (reset, read-to-clear, write protection).
class FakeRegisterChip {
    var registers = [UInt8](repeating: 0, count: 256)
    /// Bytes returned by a plain (register-less) read.
    var rawReadBytes: [UInt8] = []
    /// Whether block transfers step through registers (false = every byte goes to the first register).
    var autoIncrement: Bool { true }

    func read(_ register: UInt8) -> UInt8 { registers[Int(register)] }
    func write(_ register: UInt8, _ value: UInt8) { registers[Int(register)] = value }
}

final class FakeI2CBus: I2CBus {
    let busNumber: Int
    var chips: [UInt8: FakeRegisterChip] = [:]
    var log: [Transfer] = []
    /// Errors to raise on the next transfers, in order (before touching the chip).
    var injectedFailures: [DeviceError] = []

    init(busNumber: Int = 1) { self.busNumber = busNumber }

    private func chip(_ address: UInt8) throws(DeviceError) -> FakeRegisterChip {
        if !injectedFailures.isEmpty { throw injectedFailures.removeFirst() }
        guard let chip = chips[address] else { throw DeviceError.noDeviceAtAddress(bus: busNumber, address: address) }
        return chip
    }

    func readByte(address: UInt8, register: UInt8) throws(DeviceError) -> UInt8 {
        log.append(.readByte(address: address, register: register))
        return try chip(address).read(register)
    }

    func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(DeviceError) {
        log.append(.writeByte(address: address, register: register, value: value))
        try chip(address).write(register, value)
    }

    func readWord(address: UInt8, register: UInt8) throws(DeviceError) -> UInt16 {
        log.append(.readWord(address: address, register: register))
        let c = try chip(address)
        return UInt16(c.read(register)) | UInt16(c.read(register &+ 1)) << 8
    }

    func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(DeviceError) {
        log.append(.writeWord(address: address, register: register, value: value))
        let c = try chip(address)
        c.write(register, UInt8(truncatingIfNeeded: value))
        c.write(register &+ 1, UInt8(truncatingIfNeeded: value >> 8))
    }

    func readBlock(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        log.append(.readBlock(address: address, register: register, count: buffer.count))
        let c = try chip(address)
        for i in 0..<buffer.count {
            buffer[i] = c.read(c.autoIncrement ? register &+ UInt8(i) : register)
        }
    }

    func writeBlock(address: UInt8, register: UInt8, bytes: UnsafeRawBufferPointer) throws(DeviceError) {
        log.append(.writeBlock(address: address, register: register, bytes: Array(bytes)))
        let c = try chip(address)
        for i in 0..<bytes.count {
            c.write(c.autoIncrement ? register &+ UInt8(i) : register, bytes[i])
        }
    }

    func read(address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        log.append(.read(address: address, count: buffer.count))
        let c = try chip(address)
        for i in 0..<buffer.count { buffer[i] = i < c.rawReadBytes.count ? c.rawReadBytes[i] : 0xFF }
    }
}
