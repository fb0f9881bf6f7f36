import FlightMath
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Streaming NMEA 0183 parser for GGA, RMC, VTG and GSA from GPS (GP), GLONASS (GL), Galileo (GA) and
/// multi-constellation (GN) talkers. Bytes go in one at a time; a `GPSFix` comes out at each valid GGA.
///
/// Every sentence must carry a correct checksum. The buffer is fixed; overlong, split, truncated or interleaved
/// input is dropped and counted, never trusted. NMEA has no accuracy figures or vertical velocity, so accuracy is
/// DOP × `uereM` and velocity down is 0; velocity comes from RMC/VTG of the same epoch, and when there is none
/// `speedAccuracyMps` is infinite so the estimator ignores the zero velocity.
public struct NMEAParser: Sendable {
    public struct Config: Hashable, Sendable {
        /// User-equivalent range error: converts DOP into a 1-sigma accuracy.
        public var uereM: Double
        public var speedAccuracyMps: Double
        /// Receiver latency: the fix is stamped this much before the sentence finished arriving.
        public var latencyUs: UInt64

        public init(uereM: Double = 3.0, speedAccuracyMps: Double = 0.5, latencyUs: UInt64 = 0) {
            self.uereM = uereM
            self.speedAccuracyMps = speedAccuracyMps
            self.latencyUs = latencyUs
        }
    }

    public struct Statistics: Hashable, Sendable {
        public var sentences: UInt64 = 0
        public var checksumFailures: UInt64 = 0
        public var malformed: UInt64 = 0
        public var overflows: UInt64 = 0
        public var ignored: UInt64 = 0
    }

    public var config: Config
    public private(set) var statistics = Statistics()

    static let capacity = 120
    static let maxFields = 32

    private enum State: Sendable { case idle, body, checksumHigh, checksumLow(UInt8) }

    private var state = State.idle
    private var buffer = InlineArray<120, UInt8>(repeating: 0)
    private var length = 0
    private var runningChecksum: UInt8 = 0

    // Epoch state shared between sentences.
    private var velocity: (northMps: Double, eastMps: Double, timeOfDayMs: Int?)?
    private var gsaFixType: GPSFixType?
    private var gsaReceivedUs: UInt64 = 0
    private var vdop: Double?
    /// The date and time of the epoch's RMC, when the receiver had a valid solution: GGA carries no date.
    private var epochDate: (midnightUnixUs: UInt64, timeOfDayMs: Int)?

    public init(config: Config = Config()) { self.config = config }

    /// Feeds one byte; returns a fix when this byte completed a valid GGA sentence.
    public mutating func consume(_ byte: UInt8, receivedAtUs: UInt64) -> GPSFix? {
        if byte == UInt8(ascii: "$") {
            // A new start always wins: a sentence cut short by a dropout must not swallow the next one.
            if case .idle = state {} else { statistics.malformed &+= 1 }
            state = .body
            length = 0
            runningChecksum = 0
            return nil
        }
        switch state {
        case .idle:
            return nil
        case .body:
            if byte == UInt8(ascii: "*") {
                state = .checksumHigh
            } else if byte < 0x20 || byte > 0x7E {
                statistics.malformed &+= 1
                state = .idle
            } else if length >= Self.capacity {
                statistics.overflows &+= 1
                state = .idle
            } else {
                buffer[length] = byte
                length += 1
                runningChecksum ^= byte
            }
            return nil
        case .checksumHigh:
            guard let high = Self.hexValue(byte) else {
                statistics.malformed &+= 1
                state = .idle
                return nil
            }
            state = .checksumLow(high)
            return nil
        case .checksumLow(let high):
            state = .idle
            guard let low = Self.hexValue(byte) else {
                statistics.malformed &+= 1
                return nil
            }
            guard high << 4 | low == runningChecksum else {
                statistics.checksumFailures &+= 1
                return nil
            }
            return handleSentence(receivedAtUs: receivedAtUs)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    private mutating func handleSentence(receivedAtUs: UInt64) -> GPSFix? {
        var starts = InlineArray<32, UInt8>(repeating: 0)
        var fieldCount = 1
        for i in 0..<length where buffer[i] == UInt8(ascii: ",") {
            guard fieldCount < Self.maxFields else {
                statistics.malformed &+= 1
                return nil
            }
            starts[fieldCount] = UInt8(truncatingIfNeeded: i + 1)
            fieldCount += 1
        }
        let bodyLength = length
        // A stack copy, so the sentence stays readable while the handlers update `self`.
        let bodyCopy = buffer
        return bodyCopy.span.withUnsafeBufferPointer { body in
            starts.span.withUnsafeBufferPointer { startPointer in
                let fields = NMEAFields(bytes: UnsafeBufferPointer(rebasing: body[0..<bodyLength]),
                                        starts: startPointer, count: fieldCount)
                return dispatch(fields, receivedAtUs: receivedAtUs)
            }
        }
    }

    private mutating func dispatch(_ fields: NMEAFields, receivedAtUs: UInt64) -> GPSFix? {
        guard let address = fields.field(0), address.count == 5 else {
            statistics.malformed &+= 1
            return nil
        }
        let talker = (address[0], address[1])
        switch talker {
        case (UInt8(ascii: "G"), UInt8(ascii: "P")), (UInt8(ascii: "G"), UInt8(ascii: "N")),
             (UInt8(ascii: "G"), UInt8(ascii: "L")), (UInt8(ascii: "G"), UInt8(ascii: "A")):
            break
        default:
            statistics.ignored &+= 1
            return nil
        }
        let type = (address[2], address[3], address[4])
        statistics.sentences &+= 1
        switch type {
        case (UInt8(ascii: "G"), UInt8(ascii: "G"), UInt8(ascii: "A")):
            return handleGGA(fields, receivedAtUs: receivedAtUs)
        case (UInt8(ascii: "R"), UInt8(ascii: "M"), UInt8(ascii: "C")):
            handleRMC(fields)
        case (UInt8(ascii: "V"), UInt8(ascii: "T"), UInt8(ascii: "G")):
            handleVTG(fields)
        case (UInt8(ascii: "G"), UInt8(ascii: "S"), UInt8(ascii: "A")):
            handleGSA(fields, receivedAtUs: receivedAtUs)
        default:
            statistics.ignored &+= 1
        }
        return nil
    }

    /// Ground speed (knots) and true course (degrees) to north/east velocity.
    private static func velocityNE(speedKnots: Double?, courseDeg: Double?) -> (Double, Double)? {
        guard let speedKnots, speedKnots >= 0, speedKnots < GPSFixLimits.maximumSpeedKnots else { return nil }
        let speedMps = speedKnots * 1852.0 / 3600.0
        guard let courseDeg, courseDeg >= 0, courseDeg <= 360 else {
            // A receiver at rest often leaves the course empty; that is only usable when the speed is ~0.
            return speedMps < 0.1 ? (0, 0) : nil
        }
        let courseRad = courseDeg * Double.pi / 180
        return (speedMps * cos(courseRad), speedMps * sin(courseRad))
    }

    private mutating func handleRMC(_ fields: NMEAFields) {
        if fields.character(2) == UInt8(ascii: "A"), let timeOfDayMs = fields.timeOfDayMs(1),
           let midnight = fields.dateMidnightUnixUs(9) {
            epochDate = (midnight, timeOfDayMs)
        } else {
            epochDate = nil
        }
        guard fields.character(2) == UInt8(ascii: "A"),
              let ne = Self.velocityNE(speedKnots: fields.number(7), courseDeg: fields.number(8))
        else {
            velocity = nil
            return
        }
        velocity = (ne.0, ne.1, fields.timeOfDayMs(1))
    }

    private mutating func handleVTG(_ fields: NMEAFields) {
        // NMEA 2.3+ mode indicator: N = data not valid.
        if fields.character(9) == UInt8(ascii: "N") { return }
        let speedKnots = fields.number(5) ?? fields.number(7).map { $0 / 1.852 }
        guard let ne = Self.velocityNE(speedKnots: speedKnots, courseDeg: fields.number(1)) else { return }
        // VTG has no time; it belongs to the epoch of the RMC just before it, if any.
        velocity = (ne.0, ne.1, velocity?.timeOfDayMs)
    }

    private mutating func handleGSA(_ fields: NMEAFields, receivedAtUs: UInt64) {
        switch fields.integer(2) {
        case 2: gsaFixType = .fix2D
        case 3: gsaFixType = .fix3D
        default: gsaFixType = GPSFixType.none
        }
        gsaReceivedUs = receivedAtUs
        // As for HDOP: a DOP outside (0, 100) is not one (a negative one gave a negative accuracy).
        vdop = fields.number(17).flatMap { $0 > 0 && $0 < 100 ? $0 : nil }
    }

    private mutating func handleGGA(_ fields: NMEAFields, receivedAtUs: UInt64) -> GPSFix? {
        let timestampUs = receivedAtUs >= config.latencyUs ? receivedAtUs - config.latencyUs : 0
        let epochVelocity = velocity
        let date = epochDate
        velocity = nil  // RMC/VTG of the next epoch must arrive again
        epochDate = nil
        guard let quality = fields.integer(6) else {
            statistics.malformed &+= 1
            return nil
        }
        // The field holds up to nine digits as far as `integer` goes; a count no receiver reports is damage.
        let satellites = fields.integer(7) ?? 0
        guard satellites <= GPSFixLimits.maximumSatellites else {
            statistics.malformed &+= 1
            return nil
        }
        // 1 GPS, 2 DGPS, 3 PPS, 4 RTK fixed, 5 RTK float. 0 invalid, 6 dead reckoning, 7 manual, 8 simulator.
        guard (1...5).contains(quality) else {
            return GPSFix(timestampUs: timestampUs, fixType: .none,
                          position: Geodetic(latitudeRad: 0, longitudeRad: 0, altitudeM: 0),
                          velocityNEDMps: .zero, horizontalAccuracyM: .infinity, verticalAccuracyM: .infinity,
                          speedAccuracyMps: .infinity, satellitesUsed: satellites)
        }
        guard let latDeg = fields.coordinateDeg(2, positive: UInt8(ascii: "N"), negative: UInt8(ascii: "S"), maxDeg: 90),
              let lonDeg = fields.coordinateDeg(4, positive: UInt8(ascii: "E"), negative: UInt8(ascii: "W"), maxDeg: 180),
              let hdop = fields.number(8), hdop > 0, hdop < 100
        else {
            statistics.malformed &+= 1
            return nil
        }
        let altitudeMSL = fields.number(9)
        // Geodetic altitude is above the ellipsoid: MSL plus geoid separation (MSL alone if the receiver omits it).
        let altitudeM = (altitudeMSL ?? 0) + (fields.number(11) ?? 0)
        guard GPSFixLimits.altitudeM.contains(altitudeM) else {
            statistics.malformed &+= 1
            return nil
        }
        var fixType: GPSFixType
        if let gsa = gsaFixType, receivedAtUs &- gsaReceivedUs <= 2_000_000 {
            fixType = gsa
        } else {
            fixType = satellites >= 4 && altitudeMSL != nil ? .fix3D : .fix2D
        }
        if fixType == .fix3D && altitudeMSL == nil { fixType = .fix2D }
        let ggaTime = fields.timeOfDayMs(1)
        var velocityNED = Vector3.zero
        var speedAccuracy = Double.infinity
        if let v = epochVelocity, v.timeOfDayMs == nil || v.timeOfDayMs == ggaTime {
            velocityNED = Vector3(v.northMps, v.eastMps, 0)
            speedAccuracy = config.speedAccuracyMps
        }
        // UTC only when the RMC of this very epoch gave the date: a date from another epoch could be a day off.
        var utcUnixUs: UInt64?
        if let date, let ggaTime, date.timeOfDayMs == ggaTime {
            utcUnixUs = date.midnightUnixUs + UInt64(ggaTime) * 1000
        }
        let horizontalAccuracy = hdop * config.uereM
        let verticalAccuracy = (vdop.map { $0 * config.uereM }) ?? 1.5 * horizontalAccuracy
        return GPSFix(timestampUs: timestampUs, fixType: fixType,
                      position: Geodetic(latitudeDeg: latDeg, longitudeDeg: lonDeg, altitudeM: altitudeM),
                      velocityNEDMps: velocityNED, horizontalAccuracyM: horizontalAccuracy,
                      verticalAccuracyM: fixType == .fix3D ? verticalAccuracy : .infinity,
                      speedAccuracyMps: speedAccuracy, satellitesUsed: satellites, utcUnixUs: utcUnixUs)
    }
}
