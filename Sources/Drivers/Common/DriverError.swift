import DeviceIO

/// Why a driver could not bring up or read its chip. Bus failures keep the underlying `DeviceError`.
public enum DriverError: Error, Hashable, Sendable {
    case bus(DeviceError)
    /// The identity register did not hold a value this driver knows (wrong chip, wrong address, dead chip).
    case unexpectedChipID(chip: String, bus: Int, address: UInt8, found: UInt8)
    /// A configuration value outside what the chip supports.
    case invalidConfiguration(chip: String, detail: String)
    /// Factory calibration read back as impossible values (bus corruption or a counterfeit part).
    case invalidCalibration(chip: String, detail: String)
    /// The chip reported a fault or a reading outside its physical range.
    case sensorFault(chip: String, bus: Int, address: UInt8, detail: String)
    /// A register did not read back what was written during set-up.
    case configurationNotApplied(chip: String, bus: Int, address: UInt8, register: UInt8)
}

extension DriverError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .bus(error):
            return error.description
        case let .unexpectedChipID(chip, bus, address, found):
            return "\(chip) not found at \(hex(address)) on I2C bus \(bus): identity register reads \(hex(found)); "
                + "check the part number and address"
        case let .invalidConfiguration(chip, detail):
            return "invalid \(chip) configuration: \(detail)"
        case let .invalidCalibration(chip, detail):
            return "\(chip) calibration data is invalid: \(detail)"
        case let .sensorFault(chip, bus, address, detail):
            return "\(chip) at \(hex(address)) on I2C bus \(bus) reports a fault: \(detail)"
        case let .configurationNotApplied(chip, bus, address, register):
            return "\(chip) at \(hex(address)) on I2C bus \(bus) did not accept the write to register "
                + "\(hex(register)); check the bus for noise"
        }
    }
}

func hex(_ value: UInt8) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return value < 0x10 ? "0x0" + digits : "0x" + digits
}

/// Counts a driver's bus failures so health monitoring can declare a sensor failed without the driver stopping.
public struct SensorHealth: Hashable, Sendable {
    public private(set) var busErrors: UInt64 = 0
    public private(set) var consecutiveFailures: UInt32 = 0
    public private(set) var goodReads: UInt64 = 0
    /// Consecutive failures after which the sensor is reported unhealthy.
    public let failureThreshold: UInt32

    public init(failureThreshold: UInt32 = 10) { self.failureThreshold = failureThreshold }

    public var isHealthy: Bool { consecutiveFailures < failureThreshold }

    public mutating func recordSuccess() {
        goodReads &+= 1
        consecutiveFailures = 0
    }

    public mutating func recordFailure() {
        busErrors &+= 1
        consecutiveFailures = consecutiveFailures == .max ? .max : consecutiveFailures + 1
    }
}

/// Runs a bus transfer and wraps its failure as `DriverError.bus`.
@inline(__always) func onBus<T>(_ body: () throws(DeviceError) -> T) throws(DriverError) -> T {
    do {
        return try body()
    } catch {
        throw .bus(error)
    }
}
