/// Accelerometer full-scale range (AFS_SEL).
public enum MPU6000AccelRange: UInt8, Hashable, Sendable, CaseIterable {
    case g2 = 0, g4 = 1, g8 = 2, g16 = 3

    /// Counts per g: 16384 at ±2 g, halving per step.
    public var countsPerG: Double { 16384.0 / Double(1 << Int(rawValue)) }
}

/// Gyroscope full-scale range (FS_SEL).
public enum MPU6000GyroRange: UInt8, Hashable, Sendable, CaseIterable {
    case dps250 = 0, dps500 = 1, dps1000 = 2, dps2000 = 3

    /// Counts per °/s from the datasheet: 131, 65.5, 32.8, 16.4.
    public var countsPerDps: Double {
        switch self {
        case .dps250: return 131.0
        case .dps500: return 65.5
        case .dps1000: return 32.8
        case .dps2000: return 16.4
        }
    }
}

/// Digital low-pass filter setting (DLPF_CFG). Bandwidths are the gyro's on the MPU-6050.
public enum MPU6000LowPass: UInt8, Hashable, Sendable, CaseIterable {
    case hz256 = 0, hz188 = 1, hz98 = 2, hz42 = 3, hz20 = 4, hz10 = 5, hz5 = 6

    /// Gyro output rate feeding the sample-rate divider: 8 kHz with the filter off, 1 kHz otherwise.
    public var internalRateHz: Double { self == .hz256 ? 8000 : 1000 }
}

public struct MPU6000Config: Hashable, Sendable {
    public var accelRange: MPU6000AccelRange
    public var gyroRange: MPU6000GyroRange
    public var lowPass: MPU6000LowPass
    /// Requested output data rate; the chip gives internalRate / (1 + divider), see `MPU6000.outputRateHz`.
    public var sampleRateHz: Double
    public var axisMapping: AxisMapping
    /// Identical motion samples in a row after which the output is taken as stuck (`MPU6000.readFIFO`).
    public var stuckAfterIdenticalSamples: Int

    /// PX4's sensor validator counts 100 equal values; a working chip's noise never repeats all six axes that long.
    public static let defaultStuckAfterIdenticalSamples = 100

    public init(accelRange: MPU6000AccelRange = .g8, gyroRange: MPU6000GyroRange = .dps2000,
                lowPass: MPU6000LowPass = .hz98, sampleRateHz: Double = 1000,
                axisMapping: AxisMapping = .identity,
                stuckAfterIdenticalSamples: Int = MPU6000Config.defaultStuckAfterIdenticalSamples)
    {
        self.accelRange = accelRange
        self.gyroRange = gyroRange
        self.lowPass = lowPass
        self.sampleRateHz = sampleRateHz
        self.axisMapping = axisMapping
        self.stuckAfterIdenticalSamples = stuckAfterIdenticalSamples
    }

    /// SMPLRT_DIV for the requested rate, nil when the rate cannot be produced.
    func sampleRateDivider() -> UInt8? {
        guard sampleRateHz.isFinite, sampleRateHz > 0 else { return nil }
        let divider = (lowPass.internalRateHz / sampleRateHz).rounded() - 1
        guard divider >= 0, divider <= 255 else { return nil }
        return UInt8(divider)
    }
}
