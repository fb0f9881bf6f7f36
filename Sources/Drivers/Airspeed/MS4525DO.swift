import DeviceIO
import FlightMath

/// TE Connectivity MS4525DO digital differential pressure sensor (pitot airspeed), read with a plain 4-byte
/// I2C read: status (2 bits) + bridge pressure (14 bits), temperature (11 bits).
public struct MS4525DOConfig: Hashable, Sendable {
    /// Output type A spans 10...90 % of 2^14 counts over the pressure range, type B 5...95 %.
    public enum OutputType: Hashable, Sendable { case typeA, typeB }

    public var outputType: OutputType
    /// Full-scale range: ±rangePsi for the differential parts (the common "001PD" is ±1 psi).
    public var rangePsi: Double
    /// Flip the sign when the pitot total-pressure tube is on port 2 instead of port 1.
    public var swapPorts: Bool
    /// A reading older than this (only stale packets since) makes the sensor unhealthy.
    public var staleTimeoutUs: UInt64

    public init(outputType: OutputType = .typeA, rangePsi: Double = 1, swapPorts: Bool = false,
                staleTimeoutUs: UInt64 = 100_000)
    {
        self.outputType = outputType
        self.rangePsi = rangePsi
        self.swapPorts = swapPorts
        self.staleTimeoutUs = staleTimeoutUs
    }
}

/// What one read produced.
public enum MS4525DOReading: Hashable, Sendable {
    case fresh(AirspeedSample)
    /// The sensor has not finished a new conversion since the last read (status 10b).
    case stale
}

public final class MS4525DO<Bus: I2CBus> {
    public static var defaultAddress: UInt8 { 0x28 }
    public static var pascalsPerPsi: Double { 6894.757293168361 }

    public let device: I2CDevice<Bus>
    public let config: MS4525DOConfig
    public private(set) var health = SensorHealth()
    public private(set) var staleReads: UInt64 = 0
    public private(set) var lastFreshUs: UInt64?

    public init(bus: Bus, address: UInt8 = 0x28, config: MS4525DOConfig = MS4525DOConfig()) throws(DriverError) {
        guard config.rangePsi.isFinite, config.rangePsi > 0 else {
            throw .invalidConfiguration(chip: "MS4525DO", detail: "pressure range must be a positive number of psi")
        }
        self.device = I2CDevice(bus: bus, address: address)
        self.config = config
    }

    /// True when a fresh sample arrived within `staleTimeoutUs` and the bus is healthy.
    public func isHealthy(nowUs: UInt64) -> Bool {
        guard health.isHealthy, let last = lastFreshUs else { return false }
        return nowUs < last || nowUs - last <= config.staleTimeoutUs
    }

    /// Reads one packet. Allocation free. A fault status or a bus failure throws and is counted.
    public func read(timestampUs: UInt64) throws(DriverError) -> MS4525DOReading {
        var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        do {
            try withUnsafeMutableBytes(of: &bytes) { buffer throws(DeviceError) in try device.read(into: buffer) }
        } catch {
            health.recordFailure()
            throw .bus(error)
        }
        switch decode(bytes, timestampUs: timestampUs) {
        case .success(let reading):
            if case .fresh = reading {
                health.recordSuccess()
                lastFreshUs = timestampUs
            } else {
                staleReads &+= 1
            }
            return reading
        case .failure(let detail):
            health.recordFailure()
            throw .sensorFault(chip: "MS4525DO", bus: device.bus.busNumber, address: device.address,
                               detail: detail.description)
        }
    }

    public enum PacketProblem: Error, Hashable, Sendable, CustomStringConvertible {
        case faultStatus, reservedStatus, allOnes

        public var description: String {
            switch self {
            case .faultStatus: return "status 11b (sensor fault)"
            case .reservedStatus: return "status 01b (command mode; the part is misconfigured)"
            case .allOnes: return "all bits set (disconnected sensor or broken bridge)"
            }
        }
    }

    /// Decodes the four bytes of a Read_DF4 packet.
    public func decode(_ bytes: (UInt8, UInt8, UInt8, UInt8), timestampUs: UInt64)
        -> Result<MS4525DOReading, PacketProblem>
    {
        let status = bytes.0 >> 6
        let pressureCounts = UInt16(bytes.0 & 0x3F) << 8 | UInt16(bytes.1)
        let temperatureCounts = UInt16(bytes.2) << 3 | UInt16(bytes.3 >> 5)
        switch status {
        case 0b01: return .failure(.reservedStatus)
        case 0b10: return .success(.stale)
        case 0b11: return .failure(.faultStatus)
        default: break
        }
        if pressureCounts == 0x3FFF && temperatureCounts == 0x7FF { return .failure(.allOnes) }
        let differentialPa = differentialPressurePa(counts: pressureCounts)
        let temperatureC = Double(temperatureCounts) * 200.0 / 2047.0 - 50.0
        return .success(.fresh(AirspeedSample(timestampUs: timestampUs, differentialPressurePa: differentialPa,
                                              temperatureC: temperatureC)))
    }

    /// Transfer function: counts = span·16383·(P − Pmin)/(Pmax − Pmin) + offset·16383, solved for P.
    public func differentialPressurePa(counts: UInt16) -> Double {
        let (offsetFraction, spanFraction) = config.outputType == .typeA ? (0.10, 0.80) : (0.05, 0.90)
        let pMin = -config.rangePsi, pMax = config.rangePsi
        let psi = (Double(counts) - offsetFraction * 16383.0) * (pMax - pMin) / (spanFraction * 16383.0) + pMin
        let pa = psi * Self.pascalsPerPsi
        return config.swapPorts ? -pa : pa
    }
}
