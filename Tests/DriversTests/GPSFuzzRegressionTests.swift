import FlightMath
import Testing
@testable import Drivers

/// GPS stream inputs libFuzzer found (Tools/fuzz gps), each the smallest case that failed before its fix.
@Suite struct GPSFuzzRegressionTests {
    static func sentence(_ body: String) -> [UInt8] {
        let checksum = body.utf8.reduce(UInt8(0), ^)
        let digits = Array("0123456789ABCDEF".utf8)
        return Array("$\(body)*".utf8) + [digits[Int(checksum >> 4)], digits[Int(checksum & 0xF)], 0x0D, 0x0A]
    }

    static func fixes(_ kind: GPSProtocol, _ bytes: [UInt8]) -> (fixes: [GPSFix], parser: GPSStreamParser) {
        var parser = GPSStreamParser(protocol: kind)
        var fixes: [GPSFix] = []
        bytes.withUnsafeBytes { parser.consume($0, receivedAtUs: 1_000_000) { fixes.append($0) } }
        return (fixes, parser)
    }

    /// A GGA with 1520 satellites in use came out as a fix claiming them (the field was read as any number of up to
    /// nine digits); it is malformed now, with or without a position.
    @Test(arguments: ["GNGGA,101530.00,4723.86451,N,00832.7,E,3,1520,0.78,440.5,M,47.6,M,,",
                      "GPGGA,101531.00,,,,,0,999999999,99.99,,,,,,"])
    func satelliteCountBeyondAnyReceiverIsMalformed(body: String) {
        let (fixes, parser) = Self.fixes(.nmea, Self.sentence(body))
        #expect(fixes.isEmpty)
        #expect(parser.nmea.statistics.malformed == 1)
    }
}

extension GPSFuzzRegressionTests {
    /// The fixture's NAV-PVT with `change` applied to its payload, re-checksummed.
    static func navPVT(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var payload = Array(GPSFixtures.navPVT[6..<(6 + UBXParser.pvtLength)])
        change(&payload)
        return GPSFixtures.ubxFrame(messageClass: UBXParser.navClass, id: UBXParser.pvtID, payload: payload)
    }

    static func put(_ value: Int32, at offset: Int, in payload: inout [UInt8]) {
        for i in 0..<4 { payload[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * Int32(i))) }
    }

    /// A NAV-PVT with a height of 959 km (and one of 2147 km/s north) came out as a fix; the NMEA parser already
    /// refused such values. Both are malformed now, and the fixture itself still parses.
    @Test func navPVTBeyondWhatAReceiverReportsIsMalformed() {
        #expect(Self.fixes(.ubx, Self.navPVT { _ in }).fixes.count == 1)
        for frame in [Self.navPVT { Self.put(959_458_348, at: 32, in: &$0) },
                      Self.navPVT { Self.put(-1_000_001, at: 32, in: &$0) },
                      Self.navPVT { Self.put(Int32.max, at: 48, in: &$0) }] {
            let (fixes, parser) = Self.fixes(.ubx, frame)
            #expect(fixes.isEmpty)
            #expect(parser.ubx.statistics.malformed == 1)
        }
    }
}

extension GPSFuzzRegressionTests {
    /// A GSA with VDOP -3.5 before a GGA gave a 3D fix with a vertical accuracy of -10.5 m; an impossible VDOP is
    /// now no VDOP (the accuracy then comes from HDOP, as without GSA).
    @Test func negativeVDOPGivesNoNegativeAccuracy() throws {
        let stream = Self.sentence("GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,-3.5")
            + Self.sentence("GLGGA,101532.00,3351.12345,S,15112.54321,W,2,09,1.20,12.0,M,-3.5,M,,")
        let fix = try #require(Self.fixes(.nmea, stream).fixes.first)
        #expect(fix.verticalAccuracyM > 0)
        #expect(fix.verticalAccuracyM == 1.5 * fix.horizontalAccuracyM)
    }
}
