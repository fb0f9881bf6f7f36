import DeviceIO
import Drivers
import FlightMath

/// `[imu]`: an MPU-6000-family IMU on I2C.
///
///     chip = "mpu6050"; i2c_bus = 1; address = 0x68
///     sample_rate_hz = 1000; accel_range_g = 8; gyro_range_dps = 2000; low_pass_hz = 98
///     stuck_after_identical_samples = 100   # optional: a frozen output is refused after this many repeats
///     [imu.orientation]  forward = "+x"; right = "-y"; down = "-z"   # the chip axis along each body axis
public struct IMUSettings: Decodable, Sendable, Equatable {
    public var chip: String
    public var i2cBus: Int
    public var address: UInt8
    public var sampleRateHz: Double
    public var accelRange: MPU6000AccelRange
    public var gyroRange: MPU6000GyroRange
    public var lowPass: MPU6000LowPass
    public var orientation: AxisMapping
    /// Identical samples in a row that make the driver refuse the output as stuck (default 100).
    public var stuckAfterIdenticalSamples: Int

    enum CodingKeys: String, CodingKey {
        case chip, i2cBus = "i2c_bus", address, sampleRateHz = "sample_rate_hz", accelRangeG = "accel_range_g"
        case gyroRangeDps = "gyro_range_dps", lowPassHz = "low_pass_hz", orientation
        case stuckAfterIdenticalSamples = "stuck_after_identical_samples"
    }

    enum OrientationKeys: String, CodingKey { case forward, right, down }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chip = try c.choice(.chip, as: String.self,
                            [("mpu6000", "mpu6000"), ("mpu6050", "mpu6050"), ("mpu6500", "mpu6500"),
                             ("mpu9250", "mpu9250")])
        i2cBus = try c.i2cBus(.i2cBus)
        address = try c.i2cAddress(.address)
        accelRange = try c.choice(.accelRangeG, as: Int.self, [(2, .g2), (4, .g4), (8, .g8), (16, .g16)])
        gyroRange = try c.choice(.gyroRangeDps, as: Int.self,
                                 [(250, .dps250), (500, .dps500), (1000, .dps1000), (2000, .dps2000)])
        lowPass = try c.choice(.lowPassHz, as: Int.self,
                               [(256, .hz256), (188, .hz188), (98, .hz98), (42, .hz42), (20, .hz20), (10, .hz10),
                                (5, .hz5)])
        sampleRateHz = try c.decode(Double.self, forKey: .sampleRateHz)
        stuckAfterIdenticalSamples = try c.decodeIfPresent(Int.self, forKey: .stuckAfterIdenticalSamples)
            ?? MPU6000Config.defaultStuckAfterIdenticalSamples
        guard (20...100_000).contains(stuckAfterIdenticalSamples) else {
            throw c.invalid(.stuckAfterIdenticalSamples, "\(stuckAfterIdenticalSamples) is outside the accepted range "
                            + "20…100000 samples")
        }
        let internalHz = lowPass.internalRateHz
        guard sampleRateHz.isFinite, sampleRateHz >= internalHz / 256, sampleRateHz <= internalHz else {
            throw c.invalid(.sampleRateHz, "\(sampleRateHz) Hz cannot be produced with low_pass_hz "
                            + "\(lowPass): the chip runs \(internalHz / 256)…\(internalHz) Hz")
        }
        let o = try c.nestedContainer(keyedBy: OrientationKeys.self, forKey: .orientation)
        let axes: [(String, SensorAxis)] = [("+x", .plusX), ("-x", .minusX), ("+y", .plusY), ("-y", .minusY),
                                            ("+z", .plusZ), ("-z", .minusZ)]
        let forward = try o.choice(.forward, as: String.self, axes)
        let right = try o.choice(.right, as: String.self, axes)
        let down = try o.choice(.down, as: String.self, axes)
        do {
            orientation = try AxisMapping(forward: forward, right: right, down: down)
        } catch {
            throw c.invalid(.orientation, error.description)
        }
    }

    /// The driver configuration this section describes.
    public var driverConfig: MPU6000Config {
        MPU6000Config(accelRange: accelRange, gyroRange: gyroRange, lowPass: lowPass, sampleRateHz: sampleRateHz,
                      axisMapping: orientation, stuckAfterIdenticalSamples: stuckAfterIdenticalSamples)
    }
}

/// `[barometer]`: a BMP280 on I2C (0x76 with SDO low, 0x77 high).
public struct BarometerSettings: Decodable, Sendable, Equatable {
    public var chip: String
    public var i2cBus: Int
    public var address: UInt8

    enum CodingKeys: String, CodingKey { case chip, i2cBus = "i2c_bus", address }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chip = try c.choice(.chip, as: String.self, [("bmp280", "bmp280")])
        i2cBus = try c.i2cBus(.i2cBus)
        address = try c.i2cAddress(.address)
    }
}

/// `[airspeed]`: an MS4525DO differential pressure sensor on the pitot-static tube.
public struct AirspeedSettings: Decodable, Sendable, Equatable {
    public var chip: String
    public var i2cBus: Int
    public var address: UInt8
    public var rangePsi: Double
    public var outputType: MS4525DOConfig.OutputType
    public var swapPorts: Bool

    enum CodingKeys: String, CodingKey {
        case chip, i2cBus = "i2c_bus", address, rangePsi = "range_psi", outputType = "output_type"
        case swapPorts = "swap_ports"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chip = try c.choice(.chip, as: String.self, [("ms4525do", "ms4525do")])
        i2cBus = try c.i2cBus(.i2cBus)
        address = try c.i2cAddress(.address)
        rangePsi = try c.tunable(.rangePsi, default: 1, in: 0.1...150, unit: "psi")
        outputType = try c.contains(.outputType)
            ? c.choice(.outputType, as: String.self, [("A", .typeA), ("B", .typeB)]) : .typeA
        swapPorts = try c.tunable(.swapPorts, default: false)
    }

    public var driverConfig: MS4525DOConfig {
        MS4525DOConfig(outputType: outputType, rangePsi: rangePsi, swapPorts: swapPorts)
    }
}

/// `[battery_monitor]`: an INA226 current/voltage monitor on the flight battery (VBUS on the pack, the current
/// through a shunt), read at `rate_hz`. Without one the board has no battery voltage and the low-battery failsafe
/// cannot act.
///
///     chip = "ina226"; i2c_bus = 1; address = 0x45; shunt_ohm = 0.0005; rate_hz = 10
public struct BatteryMonitorSettings: Decodable, Sendable, Equatable {
    public var chip: String
    public var i2cBus: Int
    public var address: UInt8
    public var shuntOhm: Double
    public var rateHz: Double

    enum CodingKeys: String, CodingKey {
        case chip, i2cBus = "i2c_bus", address, shuntOhm = "shunt_ohm", rateHz = "rate_hz"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chip = try c.choice(.chip, as: String.self, [("ina226", "ina226")])
        i2cBus = try c.i2cBus(.i2cBus)
        address = try c.i2cAddress(.address)
        shuntOhm = try c.tunable(.shuntOhm, default: 0.0005, in: 0.00001...10, unit: "ohm")
        rateHz = try c.tunable(.rateHz, default: 10, in: 1...50, unit: "Hz")
    }

    public var driverConfig: INA226Config { INA226Config(shuntOhm: shuntOhm) }
}

/// `[gps]`: a u-blox (or NMEA) receiver on a UART.
///
///     device = "/dev/ttyAMA0"; baud = 115200; rate_hz = 5
///     protocol = "ubx"              # or "nmea": the one protocol parsed (default ubx)
///     configure = true              # set the u-blox up at start (autobaud, speed, protocol, rate, model)
///     dynamic_model = "airborne_4g" # the receiver's platform model (configure = true only)
public struct GPSSettings: Decodable, Sendable, Equatable {
    public typealias ProtocolKind = GPSProtocol

    public var device: String
    public var baudRate: Int
    /// The one protocol parsed; the other is ignored (an epoch in both must not be fused twice).
    public var protocolKind: ProtocolKind
    /// Navigation rate the receiver is configured for (and the emulator runs at).
    public var rateHz: Double
    /// Configure the u-blox at start; false for a receiver configured beforehand or one that is not a u-blox.
    public var configure: Bool
    public var dynamicModel: UBloxDynamicModel

    enum CodingKeys: String, CodingKey {
        case device, baud, protocolKind = "protocol", rateHz = "rate_hz", configure, dynamicModel = "dynamic_model"
    }

    public static let baudRates = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        device = try c.decode(String.self, forKey: .device)
        guard device.hasPrefix("/dev/") else {
            throw c.invalid(.device, "'\(device)' is not a device path (expected /dev/ttyAMA0, /dev/ttyUSB0 …)")
        }
        baudRate = try c.choice(.baud, as: Int.self, Self.baudRates.map { ($0, $0) })
        if try c.decodeIfPresent(String.self, forKey: .protocolKind) == "nmea+ubx" {
            throw c.invalid(.protocolKind, "\"nmea+ubx\" would fuse every epoch twice (once from NAV-PVT, once from "
                            + "GGA/RMC); pick one: \"ubx\" for a u-blox, \"nmea\" for an NMEA-only receiver")
        }
        protocolKind = try c.contains(.protocolKind)
            ? c.choice(.protocolKind, as: String.self, [("ubx", .ubx), ("nmea", .nmea)]) : .ubx
        rateHz = try c.tunable(.rateHz, default: 5, in: 1...10, unit: "Hz")
        configure = try c.tunable(.configure, default: true)
        dynamicModel = try c.contains(.dynamicModel)
            ? c.choice(.dynamicModel, as: String.self, UBloxDynamicModel.allCases.map { ($0.settingName, $0) })
            : .airborne4g
    }

    /// What the start-up set-up asks of the receiver.
    public var receiverSetup: UBloxSetupSettings {
        UBloxSetupSettings(baudRate: baudRate, protocolKind: protocolKind,
                           measurementPeriodMs: UInt16((1000 / rateHz).rounded()), dynamicModel: dynamicModel)
    }
}

/// `[safety_switch]`: the hardware ARM/SAFE switch on a GPIO line.
public struct SafetySwitchSettings: Decodable, Sendable, Equatable {
    public enum Bias: String, Sendable, Equatable { case asIs = "as_is", disabled, pullUp = "pull_up", pullDown = "pull_down" }

    public var gpioChip: String
    public var line: UInt32
    public var activeLow: Bool
    public var bias: Bias
    public var debounceMs: Double
    /// In flight, how long SAFE must persist before it cuts the outputs (0: at once); on the ground SAFE acts at once.
    public var inFlightHoldMs: Double

    enum CodingKeys: String, CodingKey {
        case gpioChip = "gpio_chip", line, activeLow = "active_low", bias, debounceMs = "debounce_ms"
        case inFlightHoldMs = "in_flight_hold_ms"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gpioChip = try c.gpioChip(.gpioChip)
        line = UInt32(try c.integer(.line, in: 0...511))
        activeLow = try c.decode(Bool.self, forKey: .activeLow)
        bias = try c.choice(.bias, as: String.self,
                            [("as_is", .asIs), ("disabled", .disabled), ("pull_up", .pullUp), ("pull_down", .pullDown)])
        debounceMs = try c.tunable(.debounceMs, default: 20, in: 0...500, unit: "ms")
        inFlightHoldMs = try c.tunable(.inFlightHoldMs, default: 1000, in: 0...10_000, unit: "ms")
    }

    public var inputConfig: DigitalInputConfig {
        let b: DigitalInputConfig.Bias
        switch bias {
        case .asIs: b = .asIs
        case .disabled: b = .disabled
        case .pullUp: b = .pullUp
        case .pullDown: b = .pullDown
        }
        return DigitalInputConfig(activeLow: activeLow, bias: b, debounceUs: UInt64((debounceMs * 1000).rounded()),
                                   consumer: "kestrel-safety")
    }
}
