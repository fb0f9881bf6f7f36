import FlightMath
import RealModule

/// What one receiver epoch reports, in the units both output protocols start from.
struct GPSEpoch {
    var fix: GPSFix
    /// False when the receiver has no solution (sky blocked, cold start): the sentences carry empty fields.
    var valid: Bool
    var utc: UTCTime
    /// GPS time of week of the epoch (ms), for UBX iTOW.
    var timeOfWeekMs: UInt32
    /// Geoid height above the ellipsoid: NMEA reports altitude above mean sea level plus this separation.
    var geoidSeparationM: Double
    /// Converts accuracies into the DOPs NMEA carries (accuracy = DOP × UERE).
    var uereM: Double
}

extension FrameWriter {
    private mutating func nmeaTime(_ utc: UTCTime) {
        digits(UInt64(utc.hour), width: 2)
        digits(UInt64(utc.minute), width: 2)
        digits(UInt64(utc.second), width: 2)
        byte(0x2E)
        digits(UInt64(utc.microsecond / 10_000), width: 2)
    }

    /// ddmm.mmmmm (latitude) or dddmm.mmmmm (longitude) and the hemisphere letter: 1e-5 arc-minute steps.
    private mutating func nmeaAngle(_ degrees: Double, degreeWidth: Int, positive: UInt8, negative: UInt8) {
        let totalUnits = UInt64((abs(degrees) * 60 * 100_000).rounded())
        let whole = totalUnits / 6_000_000
        let minuteUnits = totalUnits % 6_000_000
        digits(whole, width: degreeWidth)
        digits(minuteUnits / 100_000, width: 2)
        byte(0x2E)
        digits(minuteUnits % 100_000, width: 5)
        comma()
        byte(degrees < 0 ? negative : positive)
    }

    private static func dop(_ accuracyM: Double, _ uereM: Double) -> Double {
        let d = accuracyM / uereM
        return d.isFinite ? min(max(d, 0.01), 99.99) : 99.99
    }

    private static func horizontalSpeed(_ v: Vector3) -> (knots: Double, courseDeg: Double) {
        let speedMps = (v.x * v.x + v.y * v.y).squareRoot()
        var course = Double.atan2(y: v.y, x: v.x) * 180 / Double.pi
        if course < 0 { course += 360 }
        if course >= 359.995 { course = 0 }
        return (speedMps * 3600 / 1852, course)
    }

    /// $GNRMC: time, status, position, speed over ground (knots), course, date, mode.
    mutating func nmeaRMC(_ e: GPSEpoch) {
        clear()
        text("$GNRMC,")
        nmeaTime(e.utc)
        comma()
        if e.valid {
            text("A,")
            nmeaAngle(e.fix.position.latitudeDeg, degreeWidth: 2, positive: 0x4E, negative: 0x53)
            comma()
            nmeaAngle(e.fix.position.longitudeDeg, degreeWidth: 3, positive: 0x45, negative: 0x57)
            comma()
            let v = Self.horizontalSpeed(e.fix.velocityNEDMps)
            fixed(v.knots, decimals: 3)
            comma()
            fixed(v.courseDeg, decimals: 2)
        } else {
            text("V,,,,,,")
        }
        comma()
        digits(UInt64(e.utc.day), width: 2)
        digits(UInt64(e.utc.month), width: 2)
        digits(UInt64(e.utc.year % 100), width: 2)
        text(",,,")
        byte(e.valid ? 0x41 : 0x4E)  // mode A autonomous / N not valid
        finishNMEA()
    }

    /// $GNVTG: course true, (magnetic empty), speed in knots and km/h, mode.
    mutating func nmeaVTG(_ e: GPSEpoch) {
        clear()
        text("$GNVTG,")
        if e.valid {
            let v = Self.horizontalSpeed(e.fix.velocityNEDMps)
            fixed(v.courseDeg, decimals: 2)
            text(",T,,M,")
            fixed(v.knots, decimals: 3)
            text(",N,")
            fixed(v.knots * 1.852, decimals: 3)
            text(",K,A")
        } else {
            text(",T,,M,,N,,K,N")
        }
        finishNMEA()
    }

    /// $GNGGA: time, position, quality, satellites, HDOP, altitude MSL, geoid separation.
    mutating func nmeaGGA(_ e: GPSEpoch) {
        clear()
        text("$GNGGA,")
        nmeaTime(e.utc)
        comma()
        if e.valid {
            nmeaAngle(e.fix.position.latitudeDeg, degreeWidth: 2, positive: 0x4E, negative: 0x53)
            comma()
            nmeaAngle(e.fix.position.longitudeDeg, degreeWidth: 3, positive: 0x45, negative: 0x57)
            text(",1,")
            digits(UInt64(min(max(e.fix.satellitesUsed, 0), 99)), width: 2)
            comma()
            fixed(Self.dop(e.fix.horizontalAccuracyM, e.uereM), decimals: 2)
            comma()
            // Separation first, rounded as printed, so MSL + separation reproduces the ellipsoid height.
            let separation = (e.geoidSeparationM * 10).rounded() / 10
            fixed(e.fix.position.altitudeM - separation, decimals: 1)
            text(",M,")
            fixed(separation, decimals: 1)
            text(",M,,")
        } else {
            text(",,,,0,")
            digits(UInt64(min(max(e.fix.satellitesUsed, 0), 99)), width: 2)
            text(",99.99,,,,,,")
        }
        finishNMEA()
    }

    /// $GNGSA: auto mode, fix type, up to 12 satellite ids, PDOP, HDOP, VDOP.
    mutating func nmeaGSA(_ e: GPSEpoch) {
        clear()
        text("$GNGSA,A,")
        let type: UInt64 = !e.valid ? 1 : (e.fix.fixType == .fix3D ? 3 : 2)
        digits(type)
        let used = e.valid ? min(max(e.fix.satellitesUsed, 0), 12) : 0
        for slot in 0..<12 {
            comma()
            if slot < used { digits(UInt64(2 * slot + 3), width: 2) }  // plausible, distinct PRNs
        }
        comma()
        let h = e.valid ? Self.dop(e.fix.horizontalAccuracyM, e.uereM) : 99.99
        let v = e.valid ? Self.dop(e.fix.verticalAccuracyM, e.uereM) : 99.99
        fixed(min((h * h + v * v).squareRoot(), 99.99), decimals: 2)
        comma()
        fixed(h, decimals: 2)
        comma()
        fixed(v, decimals: 2)
        finishNMEA()
    }

    /// UBX NAV-PVT (class 0x01, id 0x07, 92-byte payload, u-blox 8 protocol 15+ layout).
    mutating func ubxNavPVT(_ e: GPSEpoch) {
        clear()
        byte(0xB5)
        byte(0x62)
        byte(0x01)
        byte(0x07)
        littleEndian(92, bytes: 2)
        littleEndian(e.timeOfWeekMs, bytes: 4)
        littleEndian(UInt32(e.utc.year), bytes: 2)
        byte(UInt8(e.utc.month))
        byte(UInt8(e.utc.day))
        byte(UInt8(e.utc.hour))
        byte(UInt8(e.utc.minute))
        byte(UInt8(e.utc.second))
        byte(0x07)  // valid: date, time, fully resolved
        littleEndian(50, bytes: 4)  // tAcc ns
        littleEndian(Int32(e.utc.microsecond * 1000))  // nano
        let fixType: UInt8 = !e.valid ? 0 : (e.fix.fixType == .fix3D ? 3 : (e.fix.fixType == .fix2D ? 2 : 0))
        byte(fixType)
        byte(fixType >= 2 ? 0x01 : 0x00)  // gnssFixOK
        byte(0)  // flags2
        byte(UInt8(min(max(e.fix.satellitesUsed, 0), 255)))
        func scaled(_ v: Double, _ s: Double) -> Int32 {
            let x = (v * s).rounded()
            return x.isFinite ? Int32(min(max(x, -2_147_483_648), 2_147_483_647)) : 0
        }
        func unsigned(_ v: Double, _ s: Double) -> UInt32 {
            let x = (v * s).rounded()
            return x.isFinite ? UInt32(min(max(x, 0), 4_294_967_295)) : UInt32.max
        }
        let p = e.fix.position
        littleEndian(scaled(e.valid ? p.longitudeDeg : 0, 1e7))
        littleEndian(scaled(e.valid ? p.latitudeDeg : 0, 1e7))
        littleEndian(scaled(e.valid ? p.altitudeM : 0, 1e3))  // height above ellipsoid, mm
        littleEndian(scaled(e.valid ? p.altitudeM - e.geoidSeparationM : 0, 1e3))  // hMSL
        littleEndian(e.valid ? unsigned(e.fix.horizontalAccuracyM, 1e3) : UInt32.max, bytes: 4)
        littleEndian(e.valid ? unsigned(e.fix.verticalAccuracyM, 1e3) : UInt32.max, bytes: 4)
        let v = e.valid ? e.fix.velocityNEDMps : .zero
        littleEndian(scaled(v.x, 1e3))
        littleEndian(scaled(v.y, 1e3))
        littleEndian(scaled(v.z, 1e3))
        let ground = Self.horizontalSpeed(v)
        littleEndian(scaled(ground.knots * 1852 / 3600, 1e3))  // gSpeed mm/s
        littleEndian(scaled(ground.courseDeg, 1e5))  // headMot
        littleEndian(e.valid ? unsigned(e.fix.speedAccuracyMps, 1e3) : UInt32.max, bytes: 4)
        littleEndian(unsigned(5, 1e5), bytes: 4)  // headAcc 5°
        let pdop = e.valid ? min((Self.dop(e.fix.horizontalAccuracyM, e.uereM) * Self.dop(e.fix.horizontalAccuracyM,
            e.uereM) + Self.dop(e.fix.verticalAccuracyM, e.uereM) * Self.dop(e.fix.verticalAccuracyM, e.uereM))
            .squareRoot(), 99.99) : 99.99
        littleEndian(unsigned(pdop, 100), bytes: 2)
        byte(e.valid ? 0 : 1)  // flags3: invalidLlh
        for _ in 0..<5 { byte(0) }  // reserved
        littleEndian(Int32(0))  // headVeh
        littleEndian(0, bytes: 2)  // magDec
        littleEndian(0, bytes: 2)  // magAcc
        finishUBX()
    }
}
