/// Register map of the InvenSense MPU-6000/6050/6500/9250 family (register map revision 4.2 / 1.6).
enum MPU6000Register {
    static let sampleRateDivider: UInt8 = 0x19  // SMPLRT_DIV
    static let config: UInt8 = 0x1A  // CONFIG: DLPF_CFG in bits 2:0
    static let gyroConfig: UInt8 = 0x1B  // FS_SEL in bits 4:3
    static let accelConfig: UInt8 = 0x1C  // AFS_SEL in bits 4:3
    static let accelConfig2: UInt8 = 0x1D  // MPU-6500/9250 only: A_DLPF_CFG in bits 2:0
    static let fifoEnable: UInt8 = 0x23  // FIFO_EN: TEMP 7, XG 6, YG 5, ZG 4, ACCEL 3
    static let interruptPinConfig: UInt8 = 0x37  // INT_PIN_CFG
    static let interruptEnable: UInt8 = 0x38  // INT_ENABLE: DATA_RDY_EN bit 0
    static let interruptStatus: UInt8 = 0x3A  // INT_STATUS: DATA_RDY_INT bit 0, cleared on read
    static let accelXOutHigh: UInt8 = 0x3B  // 14 bytes: accel xyz, temperature, gyro xyz; big-endian int16
    static let userControl: UInt8 = 0x6A  // USER_CTRL: FIFO_EN bit 6, FIFO_RESET bit 2 (clears itself)
    static let powerManagement1: UInt8 = 0x6B  // DEVICE_RESET bit 7, SLEEP bit 6, CLKSEL bits 2:0
    static let powerManagement2: UInt8 = 0x6C
    static let fifoCountHigh: UInt8 = 0x72  // FIFO_COUNT_H, FIFO_COUNT_L: bytes in the FIFO, big-endian
    static let fifoReadWrite: UInt8 = 0x74  // FIFO_R_W: a burst read here streams the FIFO
    static let whoAmI: UInt8 = 0x75

    static let deviceReset: UInt8 = 0x80
    static let clockPLLGyroX: UInt8 = 0x01
    static let dataReadyEnable: UInt8 = 0x01
    static let fifoOverflowEnable: UInt8 = 0x10  // INT_ENABLE / INT_STATUS bit 4
    /// Accelerometer, temperature and all three gyro axes: each FIFO sample is the 14 burst bytes, in that order.
    static let fifoAllSensors: UInt8 = 0xF8
    static let userFIFOEnable: UInt8 = 0x40
    static let userFIFOReset: UInt8 = 0x04
    static let burstLength = 14
}

/// Members of the family, told apart by WHO_AM_I.
public enum MPU6000Variant: Hashable, Sendable {
    /// MPU-6000 and MPU-6050 share WHO_AM_I 0x68 and the same temperature scale.
    case mpu6000or6050
    case mpu6500
    case mpu9250
    case mpu9255

    public init?(whoAmI: UInt8) {
        switch whoAmI {
        case 0x68: self = .mpu6000or6050
        case 0x70: self = .mpu6500
        case 0x71: self = .mpu9250
        case 0x73: self = .mpu9255
        default: return nil
        }
    }

    /// The 6500 generation has a separate accelerometer low-pass register and a different temperature scale.
    var is6500Generation: Bool { self != .mpu6000or6050 }

    /// Die temperature in °C from the raw signed count (datasheet formulas of each generation).
    func temperatureC(raw: Int16) -> Double {
        switch self {
        case .mpu6000or6050: return Double(raw) / 340.0 + 36.53
        case .mpu6500, .mpu9250, .mpu9255: return Double(raw) / 333.87 + 21.0
        }
    }
}
