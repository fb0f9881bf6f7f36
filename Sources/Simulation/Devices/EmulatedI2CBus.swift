import DeviceIO

/// An `I2CBus` whose addresses are answered by register-level chip emulators. It fails the way `LinuxI2CBus`
/// does: an unclaimed address is a NACK (`DeviceError.noDeviceAtAddress`), transient failures are retried the
/// same bounded number of times and counted in the same statistics, and injected `I2CFault`s reproduce NACKs,
/// timeouts, corrupted bytes and stuck registers deterministically.
///
/// Transfers do not allocate: chips live in a 128-slot table and faults in a small array scanned in order.
public final class EmulatedI2CBus: I2CBus {
    public let busNumber: Int
    /// Extra attempts after a NACK or timeout, as `LinuxI2CBus.maxRetries`.
    public let maxRetries: Int
    public private(set) var statistics = I2CBusStatistics()

    /// Shared with every handle on this bus (`secondHandle()`); engaged only once there is one.
    public let adapterLock: EmulatedAdapterLock
    private var chips: [(any EmulatedI2CChip)?]
    private var faults: [(fault: I2CFault, attemptsSeen: UInt64)] = []
    private var attemptsByAddress: [UInt64]

    public init(busNumber: Int = 1, maxRetries: Int = 2, adapterLock: EmulatedAdapterLock = EmulatedAdapterLock()) {
        self.busNumber = busNumber
        self.maxRetries = max(0, maxRetries)
        self.adapterLock = adapterLock
        chips = Array(repeating: nil, count: 128)
        attemptsByAddress = Array(repeating: 0, count: 128)
    }

    /// Another owner's handle on this bus, as a second `open("/dev/i2c-N")` is: the chips attached now, its own
    /// statistics and injected faults, and transfers serialised with this bus's by the shared adapter lock (which
    /// this engages: make the handle before the second thread starts).
    public func secondHandle() -> EmulatedI2CBus {
        adapterLock.engage()
        let handle = EmulatedI2CBus(busNumber: busNumber, maxRetries: maxRetries, adapterLock: adapterLock)
        handle.chips = chips
        return handle
    }

    /// Puts `chip` at a 7-bit address (replacing whatever answered there).
    public func attach(_ chip: any EmulatedI2CChip, at address: UInt8) {
        guard address < 0x80 else { return }
        chips[Int(address)] = chip
    }

    public func detach(address: UInt8) {
        guard address < 0x80 else { return }
        chips[Int(address)] = nil
    }

    public func chip(at address: UInt8) -> (any EmulatedI2CChip)? {
        address < 0x80 ? chips[Int(address)] : nil
    }

    /// Transfer attempts made to `address` so far (each retry counts).
    public func attempts(address: UInt8) -> UInt64 {
        address < 0x80 ? attemptsByAddress[Int(address)] : 0
    }

    /// Adds a fault; its window counts attempts to its address from now on.
    public func inject(_ fault: I2CFault) {
        faults.append((fault, 0))
    }

    public func clearFaults(address: UInt8? = nil) {
        faults.removeAll { address == nil || $0.fault.address == address }
    }

    // MARK: I2CBus

    public func readByte(address: UInt8, register: UInt8) throws(DeviceError) -> UInt8 {
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: register)
            return readByte(chip, address: address, register: register)
        }
    }

    public func writeByte(address: UInt8, register: UInt8, value: UInt8) throws(DeviceError) {
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: register)
            writeByte(chip, address: address, register: register, value: value)
        }
    }

    public func readWord(address: UInt8, register: UInt8) throws(DeviceError) -> UInt16 {
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: register)
            let low = readByte(chip, address: address, register: register)
            let high = readByte(chip, address: address, register: chip.autoIncrement ? register &+ 1 : register)
            return UInt16(low) | UInt16(high) << 8
        }
    }

    public func writeWord(address: UInt8, register: UInt8, value: UInt16) throws(DeviceError) {
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: register)
            writeByte(chip, address: address, register: register, value: UInt8(truncatingIfNeeded: value))
            writeByte(chip, address: address, register: chip.autoIncrement ? register &+ 1 : register,
                      value: UInt8(truncatingIfNeeded: value >> 8))
        }
    }

    public func readBlock(address: UInt8, register: UInt8, into buffer: UnsafeMutableRawBufferPointer)
        throws(DeviceError)
    {
        try checkBlockLength(buffer.count)
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: register)
            // Per transfer, not per byte: a read cannot change the chip's auto-increment mode, and faults are
            // injected between transfers. Without faults a byte is the chip's register, as it is on most transfers.
            let autoIncrement = chip.autoIncrement, faultFree = faults.isEmpty
            for i in 0..<buffer.count {
                let r = autoIncrement ? chip.blockRegister(start: register, offset: i) : register
                buffer[i] = faultFree ? chip.readRegister(r) : readByte(chip, address: address, register: r)
            }
        }
    }

    public func writeBlock(address: UInt8, register: UInt8, bytes: UnsafeRawBufferPointer) throws(DeviceError) {
        try checkBlockLength(bytes.count)
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: register)
            // The auto-increment mode is asked per byte (a byte of this very write can change it, as MODE1's AI
            // bit does); faults are injected between transfers.
            let faultFree = faults.isEmpty
            for i in 0..<bytes.count {
                let r = chip.autoIncrement ? chip.blockRegister(start: register, offset: i) : register
                if faultFree {
                    chip.writeRegister(r, value: bytes[i])
                } else {
                    writeByte(chip, address: address, register: r, value: bytes[i])
                }
            }
        }
    }

    public func read(address: UInt8, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) {
        try checkBlockLength(buffer.count)
        try adapterLock.withLock { () throws(DeviceError) in
            let chip = try acknowledge(address: address, register: 0)
            for i in 0..<buffer.count {
                buffer[i] = corruptRead(chip.readWithoutRegister(byteIndex: i), address: address)
            }
        }
    }

    // MARK: Transfer mechanics

    private func checkBlockLength(_ count: Int) throws(DeviceError) {
        if count < 1 || count > i2cBlockMaxBytes {
            throw DeviceError.invalidRequest(.i2c, path: "emulated I2C bus \(busNumber)",
                                             detail: "block length must be 1...32 bytes")
        }
    }

    /// The address phase with the real bus's retry policy: NACKs and timeouts are retried, then reported.
    private func acknowledge(address: UInt8, register: UInt8) throws(DeviceError) -> any EmulatedI2CChip {
        if address > 0x7F {
            throw DeviceError.invalidRequest(.i2c, path: "emulated I2C bus \(busNumber)",
                                             detail: "address must be 7-bit (0x00...0x7F)")
        }
        var attempt = 0
        while true {
            statistics.attempts &+= 1
            let failure = addressPhaseFailure(address: address)
            if failure == nil, let chip = chips[Int(address)] {
                chip.beginTransfer()
                return chip
            }
            statistics.failedAttempts &+= 1
            if attempt < maxRetries {
                attempt += 1
                statistics.retries &+= 1
                continue
            }
            statistics.failedTransfers &+= 1
            throw failure ?? DeviceError.noDeviceAtAddress(bus: busNumber, address: address)
        }
    }

    /// Advances the attempt counters and returns the injected NACK/timeout for this attempt, if any.
    private func addressPhaseFailure(address: UInt8) -> DeviceError? {
        attemptsByAddress[Int(address)] &+= 1
        var result: DeviceError?
        for i in faults.indices where faults[i].fault.address == address {
            let attempt = faults[i].attemptsSeen
            faults[i].attemptsSeen &+= 1
            guard result == nil, faults[i].fault.window.contains(attempt) else { continue }
            switch faults[i].fault.effect {
            case .nack: result = .noDeviceAtAddress(bus: busNumber, address: address)
            case .timeout: result = .timedOut(bus: busNumber, address: address)
            default: break
            }
        }
        return result
    }

    /// Byte-level faults apply to every byte of a transfer whose attempt fell in the window, so they use the
    /// attempt number of the transfer in progress (`attemptsSeen - 1`).
    private func activeByteFault(address: UInt8, _ match: (I2CFault.Effect) -> Bool) -> I2CFault.Effect? {
        for entry in faults where entry.fault.address == address && match(entry.fault.effect) {
            if entry.attemptsSeen > 0, entry.fault.window.contains(entry.attemptsSeen - 1) { return entry.fault.effect }
        }
        return nil
    }

    private func readByte(_ chip: any EmulatedI2CChip, address: UInt8, register: UInt8) -> UInt8 {
        if case .stuckRegister(_, let value)? = activeByteFault(address: address, {
            if case .stuckRegister(let r, _) = $0 { return r == register }
            return false
        }) {
            _ = chip.readRegister(register)  // the read still happens (and clears what it clears)
            return corruptRead(value, address: address)
        }
        return corruptRead(chip.readRegister(register), address: address)
    }

    private func writeByte(_ chip: any EmulatedI2CChip, address: UInt8, register: UInt8, value: UInt8) {
        let stuck = activeByteFault(address: address) {
            if case .stuckRegister(let r, _) = $0 { return r == register }
            return false
        }
        if stuck != nil { return }
        var written = value
        if case .corruptWrite(let mask)? = activeByteFault(address: address, {
            if case .corruptWrite = $0 { return true }
            return false
        }) {
            written ^= mask
        }
        chip.writeRegister(register, value: written)
    }

    private func corruptRead(_ value: UInt8, address: UInt8) -> UInt8 {
        if case .corruptRead(let mask)? = activeByteFault(address: address, {
            if case .corruptRead = $0 { return true }
            return false
        }) {
            return value ^ mask
        }
        return value
    }
}
