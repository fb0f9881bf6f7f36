/// What the start-up set-up asks of a u-blox receiver (from the board's `[gps]` section).
public struct UBloxSetupSettings: Sendable, Equatable {
    /// The speed the board runs the UART at; the receiver is moved there.
    public var baudRate: Int
    /// The one protocol the receiver is left sending.
    public var protocolKind: GPSProtocol
    /// Time between measurement epochs (200 ms = 5 Hz).
    public var measurementPeriodMs: UInt16
    public var dynamicModel: UBloxDynamicModel
    /// Speeds tried, in this order, after `baudRate`: the factory default (9600) first, then the usual ones.
    public var candidateBaudRates: [Int]
    /// Upper bound on the whole set-up; every wait inside it is cut to what is left.
    public var budgetUs: UInt64

    public static let defaultCandidateBaudRates = [9600, 38400, 57600, 115200, 230400, 460800]

    public init(baudRate: Int, protocolKind: GPSProtocol = .ubx, measurementPeriodMs: UInt16 = 200,
                dynamicModel: UBloxDynamicModel = .airborne4g,
                candidateBaudRates: [Int] = UBloxSetupSettings.defaultCandidateBaudRates,
                budgetUs: UInt64 = 9_000_000)
    {
        self.baudRate = baudRate
        self.protocolKind = protocolKind
        self.measurementPeriodMs = measurementPeriodMs
        self.dynamicModel = dynamicModel
        self.candidateBaudRates = candidateBaudRates
        self.budgetUs = budgetUs
    }

    /// The board's speed first, then the candidates, each once.
    public var baudRatesToTry: [Int] {
        var order = [baudRate]
        for b in candidateBaudRates where !order.contains(b) { order.append(b) }
        return order
    }
}

/// What the set-up found and left the receiver at (shown by `kestrel check-board`).
public struct UBloxSetupReport: Sendable, Equatable {
    public var port: String
    /// The speed the receiver answered at before it was moved.
    public var detectedBaudRate: Int
    public var baudRate: Int
    public var version: UBloxVersion
    public var protocolKind: GPSProtocol
    public var dynamicModel: UBloxDynamicModel
    /// "CFG-VALSET" or "CFG-PRT/RATE/MSG/NAV5".
    public var method: String
    /// Solutions per second measured from consecutive NAV-PVT time stamps (nil for NMEA output).
    public var navigationRateHz: Double?
    /// Time the set-up took on the board's clock.
    public var elapsedUs: UInt64

    public var summary: String {
        let rate = navigationRateHz.map { "NAV-PVT at \(Self.format($0)) Hz" } ?? "NMEA output"
        return "\(version.summary); found at \(detectedBaudRate) baud, set to \(baudRate) baud, "
            + "\(protocolKind == .ubx ? "UBX" : "NMEA") only, \(rate), dynamic model \(dynamicModel.settingName) "
            + "(\(method), \(elapsedUs / 1000) ms)"
    }

    static func format(_ hz: Double) -> String {
        let tenths = Int((hz * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
