import DeviceIO

/// Type erasure so one set of driver types serves real and emulated boards: the drivers are generic over their
/// bus, and the board decides at start-up whether that is `LinuxI2CBus` or `EmulatedI2CBus`.
public final class AnyI2CBus: I2CBus {
    public let base: any I2CBus

    public init(_ base: any I2CBus) { self.base = base }

    public var busNumber: Int { base.busNumber }

    public func readByte(address: UInt8, register: UInt8) throws(DeviceError) -> UInt8 {
        try base.readByte(address: address, register: register)
    }

    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(DeviceError) {
        try base.writeByte(address: address, register: register, value: value)
    }

    public func readWord(address: UInt8, register: UInt8) throws(DeviceError) -> UInt16 {
        try base.readWord(address: address, register: register)
    }

    public func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(DeviceError) {
        try base.writeWord(address: address, register: register, value: value)
    }

    public func readBlock(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer)
        throws(DeviceError)
    {
        try base.readBlock(address: address, register: register, into: buffer)
    }

    public func writeBlock(address: UInt8, register: UInt8, bytes: UnsafeRawBufferPointer) throws(DeviceError) {
        try base.writeBlock(address: address, register: register, bytes: bytes)
    }

    public func read(address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        try base.read(address: address, into: buffer)
    }
}

public final class AnyDigitalInput: DigitalInput {
    public let base: any DigitalInput

    public init(_ base: any DigitalInput) { self.base = base }

    public func readLevel() throws(DeviceError) -> Bool { try base.readLevel() }
    public func nextEdge() throws(DeviceError) -> EdgeEvent? { try base.nextEdge() }
}

/// A bank whose outputs are a subset of a chip's channels: bank index i drives hardware channel `channels[i]`
/// (a PCA9685 with servos on channels 0, 1, 4 and 7, say). The chip's unused channels stay fully off.
public final class MappedPWMOutputs: PWMOutputs {
    public let base: any PWMOutputs
    public let hardwareChannels: [Int]

    public init(base: any PWMOutputs, hardwareChannels: [Int]) {
        self.base = base
        self.hardwareChannels = hardwareChannels
    }

    public var channelCount: Int { hardwareChannels.count }

    public func safePulseUs(channel: Int) -> UInt16 {
        guard channel >= 0, channel < hardwareChannels.count else { return 0 }
        return base.safePulseUs(channel: hardwareChannels[channel])
    }

    public func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        guard channel >= 0, channel < hardwareChannels.count else {
            throw DeviceError.invalidRequest(.pwm, path: "output bank", detail: "channel index \(channel) out of range")
        }
        try base.setPulseWidth(channel: hardwareChannels[channel], pulseUs: pulseUs)
    }

    public func setEnabled(_ enabled: Bool) throws(DeviceError) { try base.setEnabled(enabled) }
    public func beginBatch() { base.beginBatch() }
    public func commitBatch() throws(DeviceError) { try base.commitBatch() }
    public var reconfigurations: UInt64 { base.reconfigurations }
}
