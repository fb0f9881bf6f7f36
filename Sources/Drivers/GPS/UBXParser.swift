import FlightMath

/// Streaming u-blox UBX parser that turns NAV-PVT (class 0x01, id 0x07, 92-byte payload) into `GPSFix`.
///
/// Frames: 0xB5 0x62, class, id, little-endian length, payload, 8-bit Fletcher checksum over class..payload.
/// Frames longer than the fixed buffer, other messages and bad checksums are skipped and counted; a corrupt
/// length makes the parser hunt for the next sync instead of skipping blindly.
public struct UBXParser: Sendable {
    public struct Statistics: Hashable, Sendable {
        public var frames: UInt64 = 0
        public var checksumFailures: UInt64 = 0
        public var oversized: UInt64 = 0
        public var ignored: UInt64 = 0
        public var malformed: UInt64 = 0
    }

    public static let navClass: UInt8 = 0x01
    public static let pvtID: UInt8 = 0x07
    public static let pvtLength = 92
    static let capacity = 100

    public private(set) var statistics = Statistics()
    /// Receiver latency: the fix is stamped this much before the frame finished arriving.
    public var latencyUs: UInt64

    private enum State: Sendable {
        case sync1, sync2, messageClass, messageID, lengthLow, lengthHigh, payload, checksumA, checksumB
    }

    private var state = State.sync1
    private var messageClass: UInt8 = 0
    private var messageID: UInt8 = 0
    private var length = 0
    private var received = 0
    private var ckA: UInt8 = 0
    private var ckB: UInt8 = 0
    private var receivedCkA: UInt8 = 0
    private var payload = InlineArray<100, UInt8>(repeating: 0)

    public init(latencyUs: UInt64 = 0) { self.latencyUs = latencyUs }

    private mutating func addToChecksum(_ byte: UInt8) {
        ckA &+= byte
        ckB &+= ckA
    }

    /// Feeds one byte; returns a fix when this byte completed a valid NAV-PVT frame.
    public mutating func consume(_ byte: UInt8, receivedAtUs: UInt64) -> GPSFix? {
        switch state {
        case .sync1:
            if byte == 0xB5 { state = .sync2 }
        case .sync2:
            state = byte == 0x62 ? .messageClass : (byte == 0xB5 ? .sync2 : .sync1)
        case .messageClass:
            ckA = 0
            ckB = 0
            addToChecksum(byte)
            messageClass = byte
            state = .messageID
        case .messageID:
            addToChecksum(byte)
            messageID = byte
            state = .lengthLow
        case .lengthLow:
            addToChecksum(byte)
            length = Int(byte)
            state = .lengthHigh
        case .lengthHigh:
            addToChecksum(byte)
            length |= Int(byte) << 8
            received = 0
            if length > Self.capacity {
                statistics.oversized &+= 1
                state = .sync1
            } else {
                state = length == 0 ? .checksumA : .payload
            }
        case .payload:
            addToChecksum(byte)
            if received < Self.capacity { payload[received] = byte }
            received += 1
            if received >= length { state = .checksumA }
        case .checksumA:
            receivedCkA = byte
            state = .checksumB
        case .checksumB:
            state = .sync1
            guard receivedCkA == ckA, byte == ckB else {
                statistics.checksumFailures &+= 1
                return nil
            }
            statistics.frames &+= 1
            guard messageClass == Self.navClass, messageID == Self.pvtID else {
                statistics.ignored &+= 1
                return nil
            }
            guard length == Self.pvtLength else {
                statistics.malformed &+= 1
                return nil
            }
            let timestampUs = receivedAtUs >= latencyUs ? receivedAtUs - latencyUs : 0
            let frame = payload
            let fix = frame.span.withUnsafeBufferPointer { Self.decodeNavPVT($0, timestampUs: timestampUs) }
            if fix == nil { statistics.malformed &+= 1 }
            return fix
        }
        return nil
    }

    /// NAV-PVT payload to a fix; nil when the fields are outside their physical ranges.
    static func decodeNavPVT(_ p: UnsafeBufferPointer<UInt8>, timestampUs: UInt64) -> GPSFix? {
        guard p.count >= pvtLength else { return nil }
        func u32(_ o: Int) -> UInt32 {
            UInt32(p[o]) | UInt32(p[o + 1]) << 8 | UInt32(p[o + 2]) << 16 | UInt32(p[o + 3]) << 24
        }
        func i32(_ o: Int) -> Int32 { Int32(bitPattern: u32(o)) }
        let gnssFixType = p[20]
        let gnssFixOK = p[21] & 0x01 != 0
        let satellites = Int(p[23])
        let lonDeg = Double(i32(24)) * 1e-7
        let latDeg = Double(i32(28)) * 1e-7
        let heightM = Double(i32(32)) * 1e-3  // above the ellipsoid
        let horizontalAccuracyM = Double(u32(40)) * 1e-3
        let verticalAccuracyM = Double(u32(44)) * 1e-3
        let velocity = Vector3(Double(i32(48)), Double(i32(52)), Double(i32(56))) * 1e-3
        let speedAccuracyMps = Double(u32(68)) * 1e-3
        guard abs(latDeg) <= 90, abs(lonDeg) <= 180 else { return nil }
        // The fields hold ±2147 km and ±2147 km/s; beyond what a receiver reports they are damage, not a fix.
        guard GPSFixLimits.altitudeM.contains(heightM), velocity.norm <= GPSFixLimits.maximumSpeedMps else { return nil }
        // validDate, validTime and fullyResolved (bits 0–2): anything less is not a time to expire approvals by.
        var utcUnixUs: UInt64?
        if p[11] & 0x07 == 0x07 {
            let calendar = UTCTime(year: Int(p[4]) | Int(p[5]) << 8, month: Int(p[6]), day: Int(p[7]),
                                   hour: Int(p[8]), minute: Int(p[9]), second: Int(p[10]))
            // nano is signed (−5e8…1e9): the second fields are rounded, nano corrects them.
            let nanoseconds = Int64(i32(16))
            if let whole = calendar.unixUs, abs(nanoseconds) <= 1_000_000_000 {
                let us = whole + nanoseconds / 1000
                if us > 0 { utcUnixUs = UInt64(us) }
            }
        }
        // 2 = 2D, 3 = 3D, 4 = GNSS + dead reckoning; 0 none, 1 dead reckoning only, 5 time only.
        var fixType = GPSFixType.none
        if gnssFixOK {
            switch gnssFixType {
            case 2: fixType = .fix2D
            case 3, 4: fixType = .fix3D
            default: fixType = .none
            }
        }
        return GPSFix(timestampUs: timestampUs, fixType: fixType,
                      position: Geodetic(latitudeDeg: latDeg, longitudeDeg: lonDeg, altitudeM: heightM),
                      velocityNEDMps: velocity, horizontalAccuracyM: horizontalAccuracyM,
                      verticalAccuracyM: verticalAccuracyM, speedAccuracyMps: speedAccuracyMps,
                      satellitesUsed: satellites, utcUnixUs: utcUnixUs)
    }
}
