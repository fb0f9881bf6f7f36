import FlightMath

/// GPS byte fixtures. The first four NMEA lines are the well-known reference examples with their published
/// checksums; the u-blox style GN epoch and the NAV-PVT frame were built and checksummed with Python
/// (struct.pack and an independent Fletcher implementation), not with the code under test.
enum GPSFixtures {
    static let referenceGGA = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n"
    static let referenceRMC = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n"
    static let referenceVTG = "$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K*48\r\n"
    static let referenceGSA = "$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39\r\n"

    static let ubloxEpoch = [
        "$GNRMC,101530.00,A,4723.86451,N,00832.73563,E,24.123,345.5,211126,,,A*71\r\n",
        "$GNVTG,345.5,T,,M,24.123,N,44.676,K,A*15\r\n",
        "$GNGGA,101530.00,4723.86451,N,00832.73563,E,1,14,0.78,440.5,M,47.6,M,,*4F\r\n",
        "$GNGSA,A,3,05,13,15,18,20,23,24,29,,,,,1.35,0.78,1.10*10\r\n",
    ].joined()
    static let noFixGGA = "$GPGGA,101531.00,,,,,0,00,99.99,,,,,,*61\r\n"
    static let glonassDGPS = "$GLGGA,101532.00,3351.12345,S,15112.54321,W,2,09,1.20,12.0,M,-3.5,M,,*68\r\n"

    /// NAV-PVT: 3D fix, gnssFixOK, 14 SV, lon 8.5455938°, lat 47.3977419°, height 488.123 m, hAcc 1.5 m,
    /// vAcc 2.2 m, vel NED (12.345, -3.210, 0.500) m/s, sAcc 0.35 m/s.
    static let navPVTHex = "b56201075c00d0753a16ea070b150a0f1e37190000003930000003010a0e42f417054b52401cbb720700b4b80600"
        + "dc050000980800003930000076f3fffff4010000e831000015bf34005e01000040e2010087000000000000000000000000"
        + "00000077b7"

    static var navPVT: [UInt8] { bytes(hex: navPVTHex) }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v = c <= 0x39 ? c - 0x30 : c - 0x61 + 10
            if let h = high {
                result.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return result
    }

    // MARK: Builders for the property tests (checked against the fixtures above in GPSParserTests).

    static func nmeaSentence(_ body: String) -> [UInt8] {
        let checksum = body.utf8.reduce(UInt8(0), ^)
        let digits = Array("0123456789ABCDEF".utf8)
        return Array("$\(body)*".utf8) + [digits[Int(checksum >> 4)], digits[Int(checksum & 0xF)], 0x0D, 0x0A]
    }

    static func ubxFrame(messageClass: UInt8, id: UInt8, payload: [UInt8]) -> [UInt8] {
        let body = [messageClass, id, UInt8(payload.count & 0xFF), UInt8(payload.count >> 8)] + payload
        var a: UInt8 = 0, b: UInt8 = 0
        for x in body {
            a &+= x
            b &+= a
        }
        return [0xB5, 0x62] + body + [a, b]
    }

    /// NMEA "ddmm.mmmmm" for a latitude/longitude in degrees.
    static func nmeaAngle(_ deg: Double, degreeDigits: Int) -> String {
        let whole = Int(abs(deg))
        let minutes = (abs(deg) - Double(whole)) * 60
        let minuteInt = Int(minutes)
        let fraction = Int(((minutes - Double(minuteInt)) * 100_000).rounded())
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return pad(whole, degreeDigits) + pad(minuteInt, 2) + "." + pad(min(fraction, 99_999), 5)
    }

    /// One epoch: RMC, GGA, GSA and a NAV-PVT, all for `position`.
    static func epoch(index: Int, position: Geodetic) -> [UInt8] {
        let latDeg = position.latitudeRad * 180 / Double.pi
        let lonDeg = position.longitudeRad * 180 / Double.pi
        let time = "1200\(index < 10 ? "0" : "")\(index).00"
        let lat = nmeaAngle(latDeg, degreeDigits: 2) + (latDeg >= 0 ? ",N" : ",S")
        let lon = nmeaAngle(lonDeg, degreeDigits: 3) + (lonDeg >= 0 ? ",E" : ",W")
        var out: [UInt8] = []
        out += nmeaSentence("GNRMC,\(time),A,\(lat),\(lon),10.0,90.0,211126,,,A")
        out += nmeaSentence("GNGGA,\(time),\(lat),\(lon),1,12,0.9,\(position.altitudeM),M,0.0,M,,")
        out += nmeaSentence("GNGSA,A,3,01,02,03,04,05,06,,,,,,,1.5,0.9,1.2")
        var payload = [UInt8](repeating: 0, count: 92)
        func put(_ value: Int32, at offset: Int) {
            let bits = UInt32(bitPattern: value)
            for i in 0..<4 { payload[offset + i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i))) }
        }
        payload[20] = 3
        payload[21] = 0x01
        payload[23] = 12
        put(Int32((lonDeg * 1e7).rounded()), at: 24)
        put(Int32((latDeg * 1e7).rounded()), at: 28)
        put(Int32((position.altitudeM * 1000).rounded()), at: 32)
        put(1500, at: 40)
        put(2500, at: 44)
        out += ubxFrame(messageClass: 0x01, id: 0x07, payload: payload)
        return out
    }
}
