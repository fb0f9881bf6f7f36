/// The receiver's platform model: the bounds its navigation filter assumes for acceleration, speed and altitude.
/// The default "portable" model (and "automotive", 2D-biased) rejects a fixed-wing's dynamics; "airborne <4g" is the
/// one meant for aircraft (it also lifts the altitude ceiling to 80 km, where portable stops at 12 km).
public enum UBloxDynamicModel: UInt8, Sendable, Equatable, CaseIterable {
    case portable = 0
    case stationary = 2
    case pedestrian = 3
    case automotive = 4
    case sea = 5
    case airborne1g = 6
    case airborne2g = 7
    case airborne4g = 8

    /// The board file's spelling.
    public var settingName: String {
        switch self {
        case .portable: return "portable"
        case .stationary: return "stationary"
        case .pedestrian: return "pedestrian"
        case .automotive: return "automotive"
        case .sea: return "sea"
        case .airborne1g: return "airborne_1g"
        case .airborne2g: return "airborne_2g"
        case .airborne4g: return "airborne_4g"
        }
    }
}

/// Protocol masks of a u-blox port (CFG-PRT inProtoMask / outProtoMask bits).
public struct UBXPortProtocols: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let ubx = UBXPortProtocols(rawValue: 0x0001)
    public static let nmea = UBXPortProtocols(rawValue: 0x0002)
}

/// A configuration key of the u-blox generation 9+ interface (M9, M10, F9): a 32-bit id whose bits 28…30 give the
/// value's storage size. Ids from the u-blox interface descriptions (M9 SPG 4.04, M10 SPG 5.10).
public struct UBXConfigKey: Hashable, Sendable, CustomStringConvertible {
    public var id: UInt32
    public var name: String

    public init(id: UInt32, name: String) {
        self.id = id
        self.name = name
    }

    /// Bytes the value takes on the wire: size 1 (a one-bit "L") and 2 take one byte, 3 two, 4 four, 5 eight.
    public var valueBytes: Int {
        switch (id >> 28) & 0x7 {
        case 1, 2: return 1
        case 3: return 2
        case 4: return 4
        case 5: return 8
        default: return 0
        }
    }

    public var description: String { name }

    public static let uart1BaudRate = UBXConfigKey(id: 0x4052_0001, name: "CFG-UART1-BAUDRATE")
    public static let uart1OutUBX = UBXConfigKey(id: 0x1074_0001, name: "CFG-UART1OUTPROT-UBX")
    public static let uart1OutNMEA = UBXConfigKey(id: 0x1074_0002, name: "CFG-UART1OUTPROT-NMEA")
    public static let rateMeasurementMs = UBXConfigKey(id: 0x3021_0001, name: "CFG-RATE-MEAS")
    public static let rateNavigationCycles = UBXConfigKey(id: 0x3021_0002, name: "CFG-RATE-NAV")
    public static let navPVTOnUART1 = UBXConfigKey(id: 0x2091_0007, name: "CFG-MSGOUT-UBX_NAV_PVT_UART1")
    public static let dynamicModel = UBXConfigKey(id: 0x2011_0021, name: "CFG-NAVSPG-DYNMODEL")
}

/// One key and its value for CFG-VALSET.
public struct UBXConfigItem: Hashable, Sendable {
    public var key: UBXConfigKey
    public var value: UInt64

    public init(_ key: UBXConfigKey, _ value: UInt64) {
        self.key = key
        self.value = value
    }
}

/// The u-blox messages the configurator sends, built as whole frames.
public enum UBXConfigMessages {
    /// UBX-MON-VER poll (empty payload): the receiver answers with its software, hardware and protocol versions.
    public static func monVerPoll() -> [UInt8] { UBXFrame.encode(.monVER) }

    /// UBX-CFG-PRT for UART1 (port 1): 8N1, `baudRate`, and which protocols it accepts and sends.
    public static func cfgPRT(uart1BaudRate baudRate: Int, input: UBXPortProtocols, output: UBXPortProtocols)
        -> [UInt8]
    {
        var p: [UInt8] = []
        p.append(1)  // portID: UART1
        p.append(0)  // reserved
        p.appendLittleEndian(UInt16(0))  // txReady: off
        p.appendLittleEndian(UInt32(0x0000_08D0))  // mode: 8 data bits, no parity, 1 stop bit
        p.appendLittleEndian(UInt32(truncatingIfNeeded: baudRate))
        p.appendLittleEndian(input.rawValue)
        p.appendLittleEndian(output.rawValue)
        p.appendLittleEndian(UInt16(0))  // flags
        p.appendLittleEndian(UInt16(0))  // reserved
        return UBXFrame.encode(.cfgPRT, payload: p)
    }

    /// UBX-CFG-RATE: one measurement every `measurementPeriodMs`, a navigation solution per measurement, aligned to
    /// GPS time.
    public static func cfgRATE(measurementPeriodMs: UInt16) -> [UInt8] {
        var p: [UInt8] = []
        p.appendLittleEndian(measurementPeriodMs)
        p.appendLittleEndian(UInt16(1))  // navRate: cycles per solution
        p.appendLittleEndian(UInt16(1))  // timeRef: GPS time
        return UBXFrame.encode(.cfgRATE, payload: p)
    }

    /// UBX-CFG-MSG (per-port form): `message` every `uart1Rate` solutions on UART1, off on the other ports
    /// (I2C/DDC, UART2, USB, SPI), so the flight UART carries it exactly once per epoch.
    public static func cfgMSG(_ message: UBXMessageID, uart1Rate: UInt8) -> [UInt8] {
        UBXFrame.encode(.cfgMSG, payload: [message.messageClass, message.id, 0, uart1Rate, 0, 0, 0, 0])
    }

    /// UBX-CFG-NAV5 changing only the dynamic platform model (mask bit 0); every other field is left as it is.
    public static func cfgNAV5(dynamicModel: UBloxDynamicModel) -> [UInt8] {
        var p = [UInt8](repeating: 0, count: 36)
        p[0] = 0x01  // mask: dyn
        p[2] = dynamicModel.rawValue
        return UBXFrame.encode(.cfgNAV5, payload: p)
    }

    /// UBX-CFG-VALSET (version 0) writing `items` to the RAM layer: the running configuration, lost at power-off, so
    /// the flight software sets it on every start and a swapped receiver cannot carry stale settings.
    public static func cfgVALSET(_ items: [UBXConfigItem]) -> [UInt8] {
        var p: [UInt8] = [0x00, 0x01, 0x00, 0x00]  // version 0, layers: RAM, reserved
        for item in items {
            p.appendLittleEndian(item.key.id)
            p.appendLittleEndian(item.value, bytes: item.key.valueBytes)
        }
        return UBXFrame.encode(.cfgVALSET, payload: p)
    }
}
