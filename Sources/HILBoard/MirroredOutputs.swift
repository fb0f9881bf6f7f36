import DeviceIO

// The servo outputs of a HIL rig go to two places: the emulated output device, whose pulses go back to the
// simulator as HIL_ACTUATOR_CONTROLS, and the board's real one, so the surfaces move on the bench. The emulated side
// is written first, so the simulator flies what the flight stack commanded even when the real device fails; the
// real device's failure is what the flight stack sees, as on a flight board.

/// An I2C bus on which one chip (the servo board) is mirrored: every transfer to `address` is made on the emulated
/// bus and then on the real one (reads return the real chip's registers); transfers to any other address (the
/// sensors) go to the emulated bus alone.
public final class MirroredChipBus: I2CBus {
    public let emulated: any I2CBus
    public let real: any I2CBus
    public let address: UInt8
    public var busNumber: Int { real.busNumber }

    public init(emulated: any I2CBus, real: any I2CBus, address: UInt8) {
        self.emulated = emulated
        self.real = real
        self.address = address
    }

    public func readByte(address: UInt8, register: UInt8) throws(DeviceError) -> UInt8 {
        guard address == self.address else { return try emulated.readByte(address: address, register: register) }
        _ = try? emulated.readByte(address: address, register: register)
        return try real.readByte(address: address, register: register)
    }

    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(DeviceError) {
        guard address == self.address else {
            return try emulated.writeByte(address: address, register: register, value: value)
        }
        try? emulated.writeByte(address: address, register: register, value: value)
        try real.writeByte(address: address, register: register, value: value)
    }

    public func readWord(address: UInt8, register: UInt8) throws(DeviceError) -> UInt16 {
        guard address == self.address else { return try emulated.readWord(address: address, register: register) }
        _ = try? emulated.readWord(address: address, register: register)
        return try real.readWord(address: address, register: register)
    }

    public func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(DeviceError) {
        guard address == self.address else {
            return try emulated.writeWord(address: address, register: register, value: value)
        }
        try? emulated.writeWord(address: address, register: register, value: value)
        try real.writeWord(address: address, register: register, value: value)
    }

    public func readBlock(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer)
        throws(DeviceError)
    {
        guard address == self.address else {
            return try emulated.readBlock(address: address, register: register, into: buffer)
        }
        try? emulated.readBlock(address: address, register: register, into: buffer)
        try real.readBlock(address: address, register: register, into: buffer)
    }

    public func writeBlock(address: UInt8, register: UInt8, bytes: UnsafeRawBufferPointer) throws(DeviceError) {
        guard address == self.address else {
            return try emulated.writeBlock(address: address, register: register, bytes: bytes)
        }
        try? emulated.writeBlock(address: address, register: register, bytes: bytes)
        try real.writeBlock(address: address, register: register, bytes: bytes)
    }

    public func read(address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        guard address == self.address else { return try emulated.read(address: address, into: buffer) }
        try? emulated.read(address: address, into: buffer)
        try real.read(address: address, into: buffer)
    }
}

/// A sysfs PWM bank mirrored: the emulated bank, then the real one.
public final class MirroredPWMOutputs: PWMOutputs {
    public let emulated: any PWMOutputs
    public let real: any PWMOutputs

    public init(emulated: any PWMOutputs, real: any PWMOutputs) {
        self.emulated = emulated
        self.real = real
    }

    public var channelCount: Int { real.channelCount }
    public func safePulseUs(channel: Int) -> UInt16 { real.safePulseUs(channel: channel) }

    public func setPulseWidth(channel: Int, pulseUs: UInt16) throws(DeviceError) {
        try? emulated.setPulseWidth(channel: channel, pulseUs: pulseUs)
        try real.setPulseWidth(channel: channel, pulseUs: pulseUs)
    }

    public func setEnabled(_ enabled: Bool) throws(DeviceError) {
        try? emulated.setEnabled(enabled)
        try real.setEnabled(enabled)
    }

    public func beginBatch() {
        emulated.beginBatch()
        real.beginBatch()
    }

    public func commitBatch() throws(DeviceError) {
        try? emulated.commitBatch()
        try real.commitBatch()
    }

    public var reconfigurations: UInt64 { real.reconfigurations }
}

/// The supervisor's safe pulses, written to both banks; the real bank's failure is the one reported.
public final class MirroredSafePulseWriter: SafePulseWriter {
    let emulated: any SafePulseWriter
    let real: any SafePulseWriter

    public init(emulated: any SafePulseWriter, real: any SafePulseWriter) {
        self.emulated = emulated
        self.real = real
    }

    public func writeSafePulses() throws(DeviceError) {
        try? emulated.writeSafePulses()
        try real.writeSafePulses()
    }
}

/// The servo board's OE line: the real GPIO line and the emulated pin, driven together.
public final class MirroredDigitalOutput: DigitalOutput {
    let emulated: any DigitalOutput
    let real: any DigitalOutput

    public init(emulated: any DigitalOutput, real: any DigitalOutput) {
        self.emulated = emulated
        self.real = real
    }

    public func setActive(_ active: Bool) throws(DeviceError) {
        try? emulated.setActive(active)
        try real.setActive(active)
    }

    public func release() {
        emulated.release()
        real.release()
    }
}
