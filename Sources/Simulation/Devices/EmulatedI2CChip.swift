/// A chip behind an `EmulatedI2CBus`, modelled at register level: the bus turns every SMBus transfer into
/// register reads and writes so each emulator only states what its datasheet says a register does.
public protocol EmulatedI2CChip: AnyObject {
    /// One register read. Side effects (read-to-clear status bits) happen here.
    func readRegister(_ register: UInt8) -> UInt8
    /// One register write; read-only registers ignore it.
    func writeRegister(_ register: UInt8, value: UInt8)
    /// Whether block transfers step through consecutive registers (false: every byte hits the first one).
    var autoIncrement: Bool { get }
    /// The register byte `offset` of an auto-incrementing block transfer starting at `start` lands in (a FIFO
    /// data register does not step on).
    func blockRegister(start: UInt8, offset: Int) -> UInt8
    /// A plain read without a register phase (register-less sensors); `byteIndex` counts from 0 within the read.
    func readWithoutRegister(byteIndex: Int) -> UInt8
    /// Called once before each transfer the chip acknowledges, so a burst read sees one consistent sample.
    func beginTransfer()
    /// The chip's state after its supply comes back (registers at their datasheet reset values): a brown-out.
    func powerOnReset()
}

extension EmulatedI2CChip {
    public var autoIncrement: Bool { true }
    public func blockRegister(start: UInt8, offset: Int) -> UInt8 { start &+ UInt8(truncatingIfNeeded: offset) }
    public func readWithoutRegister(byteIndex: Int) -> UInt8 { 0xFF }
    public func beginTransfer() {}
    /// A chip with no configuration registers (a register-less sensor) comes back as it was.
    public func powerOnReset() {}
}

/// 256 byte-wide registers allocated once; emulators keep their register file in one of these.
struct RegisterFile {
    private var storage: [UInt8]

    init(size: Int = 256) { storage = [UInt8](repeating: 0, count: size) }

    subscript(register: UInt8) -> UInt8 {
        get { Int(register) < storage.count ? storage[Int(register)] : 0 }
        set { if Int(register) < storage.count { storage[Int(register)] = newValue } }
    }

    mutating func reset() {
        for i in storage.indices { storage[i] = 0 }
    }

    /// Stores a big-endian 16-bit value at `register` and `register + 1`.
    mutating func setBigEndian(_ register: UInt8, _ value: Int16) {
        let bits = UInt16(bitPattern: value)
        self[register] = UInt8(truncatingIfNeeded: bits >> 8)
        self[register &+ 1] = UInt8(truncatingIfNeeded: bits)
    }
}
