import DeviceIO
import FlightMath

/// InvenSense MPU-6050 at register level (register map revision 4.2): WHO_AM_I, DEVICE_RESET with its
/// settling time, SLEEP after reset, the configuration registers as written, the full-scale ranges they select,
/// DATA_RDY_INT, the 14 big-endian output registers, and the 1024-byte FIFO (FIFO_EN, USER_CTRL FIFO_EN and
/// FIFO_RESET, FIFO_COUNT, FIFO_R_W streaming on a burst read, the oldest bytes overwritten when full with
/// FIFO_OFLOW_INT).
///
/// One `feed` is one conversion at the chip's output rate: whoever feeds it sets the rate (the SITL plant at its
/// IMU model's rate, a bench at `outputRateHz`).
///
/// The plant side calls `feed` with the physical sample (body FRD); the emulator rotates it into the chip frame
/// of its mounting and quantises it to 16-bit counts at the configured range, saturating as the ADC does.
public final class MPU6050Emulator: EmulatedI2CChip {
    public struct Config: Hashable, Sendable {
        /// 0x68 for the MPU-6000/6050. Another value emulates a different or counterfeit part.
        public var whoAmI: UInt8
        /// Rotation taking a body-FRD vector into the chip's x/y/z axes (how the board is mounted).
        public var bodyToChip: Matrix3
        /// Time DEVICE_RESET stays set after a reset is requested.
        public var resetDurationUs: UInt64

        public init(whoAmI: UInt8 = 0x68, bodyToChip: Matrix3 = .identity, resetDurationUs: UInt64 = 50_000) {
            self.whoAmI = whoAmI
            self.bodyToChip = bodyToChip
            self.resetDurationUs = resetDurationUs
        }
    }

    enum Register {
        static let sampleRateDivider: UInt8 = 0x19
        static let fifoEnable: UInt8 = 0x23
        static let config: UInt8 = 0x1A
        static let gyroConfig: UInt8 = 0x1B
        static let accelConfig: UInt8 = 0x1C
        static let interruptPinConfig: UInt8 = 0x37
        static let interruptEnable: UInt8 = 0x38
        static let interruptStatus: UInt8 = 0x3A
        static let accelXOutHigh: UInt8 = 0x3B
        static let temperatureOutHigh: UInt8 = 0x41
        static let gyroXOutHigh: UInt8 = 0x43
        static let userControl: UInt8 = 0x6A
        static let powerManagement1: UInt8 = 0x6B
        static let powerManagement2: UInt8 = 0x6C
        static let fifoCountHigh: UInt8 = 0x72
        static let fifoCountLow: UInt8 = 0x73
        static let fifoReadWrite: UInt8 = 0x74
        static let whoAmI: UInt8 = 0x75
    }

    public static let fifoCapacityBytes = 1024

    public let config: Config
    private let clock: MonotonicClock
    private var registers = RegisterFile()
    private var resetUntilUs: UInt64?
    /// Samples fed while awake, and how many of them had an axis clipped at full scale.
    public private(set) var samplesFed: UInt64 = 0
    public private(set) var saturatedSamples: UInt64 = 0
    public private(set) var resetCount = 0
    /// The FIFO: a ring of 1024 bytes allocated once.
    private var fifo = [UInt8](repeating: 0, count: MPU6050Emulator.fifoCapacityBytes)
    private var fifoHead = 0
    public private(set) var fifoCount = 0
    /// Bytes the FIFO overwrote because it was full, and reads of an empty FIFO.
    public private(set) var fifoOverwrittenBytes: UInt64 = 0
    public private(set) var fifoUnderflowReads: UInt64 = 0
    private var lowPass = MPU6050LowPassFilter()

    public init(config: Config = Config(), clock: MonotonicClock) {
        self.config = config
        self.clock = clock
        powerOnReset()
    }

    public func powerOnReset() {
        registers.reset()
        lowPass.restart()
        clearFIFO()
        registers[Register.powerManagement1] = 0x40  // SLEEP
        registers[Register.whoAmI] = config.whoAmI
    }

    private var isResetting: Bool {
        guard let until = resetUntilUs else { return false }
        if clock.nowUs() >= until {
            resetUntilUs = nil
            return false
        }
        return true
    }

    // MARK: Configuration as the chip sees it

    public var isSleeping: Bool { isResetting || registers[Register.powerManagement1] & 0x40 != 0 }

    /// Counts per g at AFS_SEL: 16384 / 2^AFS_SEL.
    public var accelCountsPerG: Double { 16384.0 / Double(1 << Int(registers[Register.accelConfig] >> 3 & 0x03)) }

    /// Counts per °/s at FS_SEL (datasheet table: 131, 65.5, 32.8, 16.4).
    public var gyroCountsPerDps: Double {
        switch registers[Register.gyroConfig] >> 3 & 0x03 {
        case 0: return 131.0
        case 1: return 65.5
        case 2: return 32.8
        default: return 16.4
        }
    }

    /// Sample rate = gyro output rate / (1 + SMPLRT_DIV); the gyro runs at 8 kHz with the DLPF off (0 or 7).
    public var outputRateHz: Double {
        let dlpf = registers[Register.config] & 0x07
        let gyroRateHz: Double = dlpf == 0 || dlpf == 7 ? 8000 : 1000
        return gyroRateHz / (1 + Double(registers[Register.sampleRateDivider]))
    }

    public func register(_ register: UInt8) -> UInt8 { registers[register] }

    // MARK: Plant side

    /// Latches one physical sample, through the DLPF that CONFIG selects, into the output registers and raises
    /// DATA_RDY_INT if enabled. Ignored while the chip sleeps or resets, as the real part does not convert then.
    /// `vibration` is the rotor's tones at the sample's instant, which the DLPF filters as continuous signals.
    public func feed(_ sample: IMUSample, vibration: IMUVibration = .none) {
        guard !isSleeping else {
            lowPass.restart()
            return
        }
        let g = WGS84.standardGravityMps2
        let filtered = lowPass.filter(accelFRDMps2: sample.accelFRDMps2, gyroFRDRadps: sample.gyroFRDRadps,
                                      vibration: vibration, timestampUs: sample.timestampUs,
                                      setting: registers[Register.config])
        let accelChip = config.bodyToChip * filtered.accel
        let gyroChip = config.bodyToChip * filtered.gyro
        let accelScale = accelCountsPerG / g
        let gyroScale = gyroCountsPerDps * 180 / Double.pi
        var clipped = false
        func counts(_ value: Double, _ scale: Double) -> Int16 {
            let (result, saturated) = Self.quantise(value * scale)
            clipped = clipped || saturated
            return result
        }
        // PWR_MGMT_2 standby bits (STBY_XA…STBY_ZG, bits 5:0) hold an axis at zero.
        let standby = registers[Register.powerManagement2]
        func axis(_ bit: UInt8, _ value: Int16) -> Int16 { standby & bit != 0 ? 0 : value }
        registers.setBigEndian(Register.accelXOutHigh, axis(0x20, counts(accelChip.x, accelScale)))
        registers.setBigEndian(Register.accelXOutHigh + 2, axis(0x10, counts(accelChip.y, accelScale)))
        registers.setBigEndian(Register.accelXOutHigh + 4, axis(0x08, counts(accelChip.z, accelScale)))
        // Temperature in °C = count / 340 + 36.53 (register map 4.18).
        registers.setBigEndian(Register.temperatureOutHigh, Self.quantise((sample.temperatureC - 36.53) * 340).0)
        registers.setBigEndian(Register.gyroXOutHigh, axis(0x04, counts(gyroChip.x, gyroScale)))
        registers.setBigEndian(Register.gyroXOutHigh + 2, axis(0x02, counts(gyroChip.y, gyroScale)))
        registers.setBigEndian(Register.gyroXOutHigh + 4, axis(0x01, counts(gyroChip.z, gyroScale)))
        samplesFed &+= 1
        if clipped { saturatedSamples &+= 1 }
        pushFIFOSample()
        if registers[Register.interruptEnable] & 0x01 != 0 {
            registers[Register.interruptStatus] |= 0x01
        }
    }

    // MARK: FIFO

    private var fifoRunning: Bool { registers[Register.userControl] & 0x40 != 0 }

    private func clearFIFO() {
        fifoHead = 0
        fifoCount = 0
    }

    /// The enabled outputs of the sample just latched, in register order (register map 4.6): accelerometer (bit 3),
    /// temperature (bit 7), gyro x, y, z (bits 6, 5, 4).
    private func pushFIFOSample() {
        guard fifoRunning else { return }
        let enabled = registers[Register.fifoEnable]
        if enabled & 0x08 != 0 { pushRegisters(Register.accelXOutHigh, 6) }
        if enabled & 0x80 != 0 { pushRegisters(Register.temperatureOutHigh, 2) }
        if enabled & 0x40 != 0 { pushRegisters(Register.gyroXOutHigh, 2) }
        if enabled & 0x20 != 0 { pushRegisters(Register.gyroXOutHigh + 2, 2) }
        if enabled & 0x10 != 0 { pushRegisters(Register.gyroXOutHigh + 4, 2) }
    }

    private func pushRegisters(_ first: UInt8, _ count: UInt8) {
        for r in first..<(first + count) {
            if fifoCount == Self.fifoCapacityBytes {
                // Full: the oldest byte is overwritten (register map 4.16) and FIFO_OFLOW_INT raised.
                fifoHead = (fifoHead + 1) % Self.fifoCapacityBytes
                fifoCount -= 1
                fifoOverwrittenBytes &+= 1
                if registers[Register.interruptEnable] & 0x10 != 0 { registers[Register.interruptStatus] |= 0x10 }
            }
            fifo[(fifoHead + fifoCount) % Self.fifoCapacityBytes] = registers[r]
            fifoCount += 1
        }
    }

    private func popFIFO() -> UInt8 {
        guard fifoCount > 0 else {
            fifoUnderflowReads &+= 1
            return 0
        }
        let value = fifo[fifoHead]
        fifoHead = (fifoHead + 1) % Self.fifoCapacityBytes
        fifoCount -= 1
        return value
    }

    /// Nearest count, clipped to the signed 16-bit range; NaN reads as 0 (the plant must not feed one).
    static func quantise(_ value: Double) -> (Int16, saturated: Bool) {
        guard !value.isNaN else { return (0, true) }
        let rounded = value.rounded()
        if rounded >= 32767 { return (32767, rounded > 32767) }
        if rounded <= -32768 { return (-32768, rounded < -32768) }
        return (Int16(rounded), false)
    }

    // MARK: EmulatedI2CChip

    /// A burst read of FIFO_R_W keeps reading FIFO_R_W (it streams the FIFO); every other register steps on.
    public func blockRegister(start: UInt8, offset: Int) -> UInt8 {
        start == Register.fifoReadWrite ? start : start &+ UInt8(truncatingIfNeeded: offset)
    }

    public func readRegister(_ register: UInt8) -> UInt8 {
        switch register {
        case Register.powerManagement1:
            return registers[register] | (isResetting ? 0x80 : 0)
        case Register.fifoCountHigh:
            return UInt8(truncatingIfNeeded: fifoCount >> 8)
        case Register.fifoCountLow:
            return UInt8(truncatingIfNeeded: fifoCount)
        case Register.fifoReadWrite:
            return popFIFO()
        default:
            break
        }
        let value = registers[register]
        // INT_RD_CLEAR (INT_PIN_CFG bit 4) = 0: status clears when INT_STATUS is read; = 1: on any read.
        if register == Register.interruptStatus || registers[Register.interruptPinConfig] & 0x10 != 0 {
            registers[Register.interruptStatus] = 0
        }
        return value
    }

    public func writeRegister(_ register: UInt8, value: UInt8) {
        guard !isResetting else { return }  // the serial interface is not available during reset
        switch register {
        case Register.whoAmI, Register.interruptStatus, Register.accelXOutHigh...Register.gyroXOutHigh + 5:
            return  // read-only
        case Register.fifoCountHigh, Register.fifoCountLow:
            return  // read-only
        case Register.userControl:
            // FIFO_RESET (bit 2) acts only with FIFO_EN (bit 6) 0, and clears itself.
            if value & 0x04 != 0, value & 0x40 == 0 { clearFIFO() }
            registers[register] = value & ~0x04
        case Register.powerManagement1 where value & 0x80 != 0:
            resetCount += 1
            powerOnReset()
            resetUntilUs = clock.nowUs() &+ config.resetDurationUs
        default:
            registers[register] = value
        }
    }
}
